import type { Platform } from '../../platform/index.js';
import { earlyInterventionService } from './earlyIntervention.service.js';
import { officerService } from './officer.service.js';

/** Officers: the roster, its import, an officer's history and the early-intervention flags. */
export function officersFeature(p: Platform) {
  return {
    officers: officerService({ db: p.db, audit: p.audit, clock: p.clock }),
    earlyIntervention: earlyInterventionService({
      db: p.db,
      audit: p.audit,
      timeZone: p.config.agencyTimeZone,
      clock: p.clock,
    }),
  };
}
