import type { Platform } from '../../platform/index.js';
import { surveyService } from './survey.service.js';
import { trustSurveyService } from './trustSurvey.service.js';
import { trustWaveService } from './trustWave.service.js';

/**
 * The closing survey (invitations when a case closes, the resident's answers, supervisors'
 * reading) and the community trust survey (waves the admins open, anyone's answers).
 */
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
    trustWaves: trustWaveService({ db: p.db, audit: p.audit, clock: p.clock, timeZone: p.config.agencyTimeZone }),
    trustSurveys: trustSurveyService({
      db: p.db,
      quotas: p.quotas,
      keys: p.keys,
      clock: p.clock,
      timeZone: p.config.agencyTimeZone,
    }),
  };
}
