import type { Core } from '../../platform/workflow/index.js';
import { intakeService } from './intake.service.js';
import { receiptMailService } from './receiptMail.service.js';
import { residentCaseService } from './residentCase.service.js';
import { statusService } from './status.service.js';

/** Residents: filing a complaint (the form and the API), looking up its status, acting on it. */
export function residentsFeature(p: Core) {
  return {
    intake: intakeService({
      db: p.db,
      workflow: p.workflow,
      audit: p.audit,
      evidence: p.evidence,
      keys: p.keys,
      quotas: p.quotas,
      reference: p.reference,
      limits: p.config.limits,
      clock: p.clock,
    }),
    status: statusService({ db: p.db, keys: p.keys, clock: p.clock }),
    residentCase: residentCaseService({ db: p.db, workflow: p.workflow, audit: p.audit }),
    receiptMail: receiptMailService({
      db: p.db,
      outbox: p.outbox,
      quotas: p.quotas,
      keys: p.keys,
      limits: p.config.limits,
      publicBaseUrl: p.config.publicBaseUrl,
      timeZone: p.config.agencyTimeZone,
      clock: p.clock,
    }),
  };
}
