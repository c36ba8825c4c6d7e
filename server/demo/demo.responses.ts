import type { Db } from '../platform/db/database.js';
import type { Clock } from '../platform/clock.js';
import type { DepartmentResponseService } from '../features/responses/departmentResponse.service.js';
import type { ResponseInput } from '../features/responses/departmentResponse.schemas.js';
import { demoSustainedAllegations } from './demo.repository.js';

const DAY = 86_400_000;

/**
 * The department's responses to the demo's sustained findings (#19), recorded by the supervisor
 * through the service on the demo's clock: the first answered in time and later changed on appeal,
 * the second answered after its deadline, and any others still awaited (overdue once the sweep runs).
 */
export async function respondToDemoFindings(
  db: Db,
  history: { now: Date; responsesAt: (clock: Clock) => DepartmentResponseService },
  supervisor: string,
): Promise<number> {
  const [first, second] = await demoSustainedAllegations(db);
  let at = history.now;
  const responses = history.responsesAt(() => at);
  const viewer = { userId: supervisor, roles: ['supervisor' as const] };
  const record = async (
    allegation: { id: string; complaint_id: string },
    when: number,
    input: Omit<ResponseInput, 'allegationId' | 'respondedOn' | 'note'>,
  ) => {
    at = new Date(Math.min(when, history.now.getTime()));
    const respondedOn = new Date(at.getTime() - DAY).toISOString().slice(0, 10);
    await responses.record(viewer, allegation.complaint_id, {
      ...input,
      allegationId: allegation.id,
      respondedOn,
      note: 'Letter from the chief of police.',
    });
  };
  let recorded = 0;
  if (first) {
    const start = first.starts_at.getTime();
    await record(first, start + 20 * DAY, { concurred: true, discipline: 'suspension', suspensionDays: 10 });
    await record(first, start + 45 * DAY, { concurred: true, discipline: 'suspension', suspensionDays: 3 });
    recorded += 2;
  }
  if (second) {
    await record(second, second.due_at.getTime() + 10 * DAY, {
      concurred: false,
      discipline: 'none',
      suspensionDays: null,
    });
    recorded += 1;
  }
  return recorded;
}
