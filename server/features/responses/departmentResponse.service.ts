import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { DeadlineService } from '../../platform/deadlines/deadline.service.js';
import type { Executor } from '../../platform/db/executor.js';
import { may } from '../../domain/policy.js';
import { Conflict, InvalidField, NotFound } from '../../domain/errors.js';
import {
  casesAwaitingResponse,
  countAwaitingResponse,
  everySustainedAnswered,
  insertResponse,
  lockCase,
  recentResponses,
  responseCase,
  responsesOf,
} from './departmentResponse.repository.js';
import { allegationsOf } from '../cases/caseFile.repository.js';
import { awaitingView, caseResponsesView, recentView, type CaseResponsesView } from './departmentResponse.view.js';
import type { ResponseInput } from './departmentResponse.schemas.js';

/** How many cases the list of responses awaited shows, and how many recent entries. */
const LIST_LIMIT = 100;
const RECENT_LIMIT = 20;

export type DepartmentResponseService = ReturnType<typeof departmentResponseService>;

/**
 * The department's response to sustained findings (#19 part 1): records of the case, not workflow
 * steps, so a response recorded after the case closed leaves its stage alone. Supervisors and
 * admins record them and see which are awaited; those who read the case (its investigator, the
 * board) read them on the case page. Each entry is audited; once every sustained allegation has
 * one, the response clock stops (met, or breached if it came late).
 */
export function departmentResponseService(deps: {
  db: Db;
  audit: AuditService;
  deadlines: DeadlineService;
  clock: Clock;
  timeZone: string;
}) {
  const { db } = deps;
  const recorder = (viewer: Viewer) => {
    if (!may(viewer, 'responses.record')) throw new NotFound('department responses');
  };

  /** The case's responses, or undefined when it has no sustained finding to respond to. */
  async function load(trx: Executor, id: string): Promise<CaseResponsesView | undefined> {
    const [header, all, entries] = await Promise.all([
      responseCase(trx, id),
      allegationsOf(trx, id),
      responsesOf(trx, id),
    ]);
    const allegations = all.filter((a) => a.finding === 'sustained');
    if (!header || allegations.length === 0) return undefined;
    // No response can be older than the decision it answers (or, without its clock, the complaint).
    const decidedOn = DateTime.fromJSDate(header.starts_at ?? header.received_at, { zone: deps.timeZone }).toISODate()!;
    return caseResponsesView(header, decidedOn, allegations, entries);
  }

  return {
    /** For supervisors and admins: the responses awaited (soonest due first) and the latest recorded. */
    async overview(viewer: Viewer) {
      recorder(viewer);
      const [awaiting, total, recent] = await Promise.all([
        casesAwaitingResponse(db, LIST_LIMIT),
        countAwaitingResponse(db),
        recentResponses(db, RECENT_LIMIT),
      ]);
      return { awaiting: awaiting.map(awaitingView), awaitingTotal: total, recent: recent.map(recentView) };
    },

    /** One case's responses, for recording a new entry; the read is audited (R1). */
    async forCase(viewer: Viewer, id: string, requestId?: string): Promise<CaseResponsesView> {
      recorder(viewer);
      return db.transaction().execute(async (trx) => {
        const view = await load(trx, id);
        if (!view) throw new NotFound('case without sustained findings');
        await deps.audit.record(trx, {
          type: 'department_response.read',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id },
          requestId,
        });
        return view;
      });
    },

    /**
     * For the case page, whose read is already checked and audited: the responses, for those who
     * may read them (not intake: discipline is not theirs to know).
     */
    async forCaseFile(
      viewer: Viewer,
      id: string,
      stage: string,
    ): Promise<(CaseResponsesView & { mayRecord: boolean }) | undefined> {
      if (!may(viewer, 'responses.read') || (stage !== 'disposition' && stage !== 'closed')) return undefined;
      const view = await load(db, id);
      return view && { ...view, mayRecord: may(viewer, 'responses.record') };
    },

    /** Records a new dated entry for one sustained allegation; never changes an earlier one. */
    async record(viewer: Viewer, id: string, input: ResponseInput, requestId?: string): Promise<void> {
      recorder(viewer);
      const at = deps.clock();
      const today = DateTime.fromJSDate(at, { zone: deps.timeZone }).toISODate()!;
      if (input.respondedOn > today) throw new InvalidField('respondedOn', 'responses.field.dateFuture');
      await db.transaction().execute(async (trx) => {
        if (!(await lockCase(trx, id))) throw new NotFound('case');
        const view = await load(trx, id);
        if (!view) throw new NotFound('case without sustained findings');
        if (!view.allegations.some((a) => a.id === input.allegationId)) {
          throw new InvalidField('allegation', 'responses.field.allegationChoose');
        }
        // A response answers the board's decision: none while the findings are open again.
        if (view.stage !== 'disposition' && view.stage !== 'closed') {
          throw new Conflict('findings reopened', { reason: 'findingsReopened' });
        }
        if (input.respondedOn < view.decidedOn) throw new InvalidField('respondedOn', 'responses.field.dateTooEarly');
        const entryId = await insertResponse(trx, {
          complaint_id: id,
          allegation_id: input.allegationId,
          concurred: input.concurred,
          discipline: input.discipline,
          suspension_days: input.suspensionDays,
          responded_on: input.respondedOn,
          note: input.note,
          recorded_by: viewer.userId,
          recorded_at: at,
        });
        const answered = await everySustainedAnswered(trx, id);
        if (answered) await deps.deadlines.stop(trx, id, 'department_response', at);
        await deps.audit.record(trx, {
          type: 'department_response.recorded',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id },
          requestId,
          details: {
            entry: entryId,
            allegation: input.allegationId,
            concurred: input.concurred,
            discipline: input.discipline,
            respondedOn: input.respondedOn,
            allAnswered: answered,
          },
        });
      });
    },
  };
}
