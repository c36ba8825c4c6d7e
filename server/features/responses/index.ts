import type { Platform } from '../../platform/index.js';
import { departmentResponseService } from './departmentResponse.service.js';

/** The department's responses to the board's sustained findings (#19): recorded, awaited, read. */
export function responsesFeature(p: Platform) {
  return {
    departmentResponses: departmentResponseService({
      db: p.db,
      audit: p.audit,
      deadlines: p.deadlines,
      clock: p.clock,
      timeZone: p.config.agencyTimeZone,
    }),
  };
}
