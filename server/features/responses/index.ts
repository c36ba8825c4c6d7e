import type { Platform } from '../../platform/index.js';
import { departmentResponseService } from './departmentResponse.service.js';

/** The department's responses to the board's sustained findings (#19): recorded, awaited, read. */
export function responsesFeature(p: Platform) {
  return { departmentResponses: departmentResponsesAt(p, p.clock) };
}

/** The same service on another clock (the demo records its responses in the past). */
export function departmentResponsesAt(p: Platform, clock: Platform['clock']) {
  return departmentResponseService({
    db: p.db,
    audit: p.audit,
    deadlines: p.deadlines,
    clock,
    timeZone: p.config.agencyTimeZone,
  });
}
