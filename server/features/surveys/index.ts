import type { Platform } from '../../platform/index.js';
import { surveyService } from './survey.service.js';

/** The closing survey: invitations when a case closes, the resident's answers, supervisors' reading. */
export function surveysFeature(p: Platform) {
  return {
    surveys: surveyService({
      db: p.db,
      audit: p.audit,
      outbox: p.outbox,
      keys: p.keys,
      publicBaseUrl: p.config.publicBaseUrl,
      clock: p.clock,
    }),
  };
}
