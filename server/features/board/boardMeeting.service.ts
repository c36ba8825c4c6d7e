import { Conflict, InvalidField, NotFound } from '../../domain/errors.js';
import type { Clock } from '../../platform/clock.js';
import { may } from '../../domain/policy.js';
import { DateTime } from 'luxon';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import {
  agendaOf,
  casesAwaitingAgenda,
  deleteAgendaItem,
  insertAgendaItem,
  insertMeeting,
  listMeetings,
  meetingById,
  meetingForUpdate,
  setItemOutcome,
  setMeetingStatus,
} from './board.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { BoardVoteService } from './boardVote.service.js';
import type { WorkflowService } from '../../platform/workflow/workflow.service.js';
import type { Actor, StaffRole } from '../../../workflows/complaint.permissions.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';
import {
  toAgendaItemView,
  toMeetingSummaryView,
  toMeetingView,
  toWaitingCaseView,
  type MeetingSummaryView,
  type MeetingAgendaView,
  type WaitingCaseView,
} from './board.view.js';

/** Supervisors and admins run meetings; board members take part in them. */

/** The meeting is not there for this viewer, or not in a state that allows the step. */
export class MeetingNotFound extends NotFound {}
export class MeetingStateConflict extends Conflict {
  constructor(readonly reason: 'notScheduled' | 'notVoting' | 'closed' | 'caseNotWaiting') {
    super(reason, { reason });
  }
}

export const organises = (viewer: Viewer) => may(viewer, 'board.organise');
const takesPart = (viewer: Viewer) => may(viewer, 'board.takePart');

export type BoardMeetingService = ReturnType<typeof boardMeetingService>;

/**
 * Board meetings: scheduling, the agenda (cases in board review), opening and closing the vote.
 * Each step is one transaction on the locked meeting row, with its audit record (R3, R22).
 */
export function boardMeetingService(deps: {
  db: Db;
  audit: AuditService;
  workflow: WorkflowService;
  votes: BoardVoteService;
  timeZone: string;
  clock: Clock;
  /** Other items of the agenda, closed with it (the policy recommendations, #19). */
  alsoClose?: ((trx: Executor, meetingId: string, requestId?: string) => Promise<Record<string, number>>) | undefined;
}) {
  const { db, audit, workflow } = deps;
  const now = deps.clock;
  const dayOf = (at: Date) => DateTime.fromJSDate(at, { zone: deps.timeZone }).toISODate();
  const aheadOfItsDay = (scheduledFor: Date) => dayOf(new Date(scheduledFor))! > dayOf(now())!;
  const staffActor = (viewer: Viewer): Actor => ({
    kind: 'staff',
    userId: viewer.userId,
    roles: viewer.roles as StaffRole[],
    assignedToCase: false,
  });
  const record = (trx: Executor, viewer: Viewer, type: string, meetingId: string, details = {}, requestId?: string) =>
    audit.record(trx, {
      type,
      actor: { type: 'user', id: viewer.userId },
      object: { type: 'board_meeting', id: meetingId },
      requestId,
      details,
    });

  /** The meeting, locked, for an organiser; MeetingNotFound otherwise. */
  async function lockedMeeting(trx: Executor, viewer: Viewer, id: string) {
    if (!organises(viewer) || !UUID.test(id)) throw new MeetingNotFound();
    const meeting = await meetingForUpdate(trx, id);
    if (!meeting) throw new MeetingNotFound();
    return meeting;
  }

  return {
    async list(viewer: Viewer): Promise<MeetingSummaryView[]> {
      if (!takesPart(viewer)) throw new MeetingNotFound();
      return (await listMeetings(db)).map(toMeetingSummaryView);
    },

    /** A meeting with its agenda, for staff who take part (a recused member sees the item, not the case). */
    async meeting(viewer: Viewer, id: string): Promise<MeetingAgendaView | undefined> {
      if (!takesPart(viewer) || !UUID.test(id)) return undefined;
      const meeting = await meetingById(db, id);
      if (!meeting) return undefined;
      const items = await agendaOf(db, id);
      return {
        meeting: toMeetingView(meeting),
        items: items.map(toAgendaItemView),
        aheadOfItsDay: meeting.status === 'scheduled' && aheadOfItsDay(meeting.scheduled_for),
      };
    },

    /** Cases in board review that wait for a meeting, for the organiser's "add to agenda" list. */
    async waitingCases(viewer: Viewer): Promise<WaitingCaseView[]> {
      if (!organises(viewer)) return [];
      return (await casesAwaitingAgenda(db)).map(toWaitingCaseView);
    },

    async schedule(viewer: Viewer, input: { scheduledFor: Date; location: string | null }, requestId?: string) {
      if (!organises(viewer)) throw new MeetingNotFound();
      return db.transaction().execute(async (trx) => {
        const id = await insertMeeting(trx, {
          scheduled_for: input.scheduledFor,
          location: input.location,
          created_by: viewer.userId,
        });
        await record(
          trx,
          viewer,
          'board.meeting.schedule',
          id,
          { scheduledFor: input.scheduledFor.toISOString() },
          requestId,
        );
        return id;
      });
    },

    /** Puts a waiting case on the agenda; on a meeting already voting, its vote opens at once. */
    async addCase(viewer: Viewer, meetingId: string, complaintId: string, requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const meeting = await lockedMeeting(trx, viewer, meetingId);
        if (meeting.status === 'closed') throw new MeetingStateConflict('closed');
        const waiting = (await casesAwaitingAgenda(trx)).some((c) => c.id === complaintId);
        if (!waiting) throw new MeetingStateConflict('caseNotWaiting');
        const year = DateTime.fromJSDate(new Date(meeting.scheduled_for), { zone: deps.timeZone }).year;
        const item = await insertAgendaItem(trx, { meetingId, complaintId, year });
        if (meeting.status === 'voting') {
          await workflow.dispatchIn(trx, complaintId, { type: 'OPEN_VOTING' }, staffActor(viewer), { requestId });
        }
        await record(trx, viewer, 'board.agenda.add', meetingId, { complaintId, agendaItemId: item.id }, requestId);
        return item;
      });
    },

    /** Takes a case off an agenda before the vote opens. */
    async removeCase(viewer: Viewer, meetingId: string, itemId: string, requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const meeting = await lockedMeeting(trx, viewer, meetingId);
        if (meeting.status !== 'scheduled') throw new MeetingStateConflict('notScheduled');
        if (!UUID.test(itemId) || !(await deleteAgendaItem(trx, meetingId, itemId))) throw new MeetingNotFound();
        await record(trx, viewer, 'board.agenda.remove', meetingId, { agendaItemId: itemId }, requestId);
      });
    },

    /**
     * Opens the vote: every case on the agenda still waiting in board review moves to voting; one
     * that left board review meanwhile (returned, withdrawn) is marked so and not voted on.
     */
    /**
     * Opens the vote. A meeting scheduled for a later day opens only when the organiser confirms
     * that the board is meeting now (#17 item 11): otherwise a field error, and nothing changes.
     */
    async openVoting(viewer: Viewer, meetingId: string, requestId?: string, options: { early?: boolean } = {}) {
      return db.transaction().execute(async (trx) => {
        const meeting = await lockedMeeting(trx, viewer, meetingId);
        if (meeting.status !== 'scheduled') throw new MeetingStateConflict('notScheduled');
        if (aheadOfItsDay(meeting.scheduled_for) && !options.early) {
          throw new InvalidField('early', 'board.agenda.earlyRequired');
        }
        const at = now();
        for (const item of await agendaOf(trx, meetingId)) {
          if (item.state === 'boardReview.scheduled') {
            await workflow.dispatchIn(trx, item.complaint_id, { type: 'OPEN_VOTING' }, staffActor(viewer), {
              requestId,
            });
          } else if (item.outcome === null) {
            await setItemOutcome(trx, item.id, item.state === 'closed' ? 'withdrawn' : 'returned', at);
          }
        }
        await setMeetingStatus(trx, meetingId, 'voting', at);
        await record(trx, viewer, 'board.meeting.open', meetingId, {}, requestId);
      });
    },

    /**
     * Closes the vote. Each case still open is decided when a quorum voted on every allegation;
     * otherwise it goes back to wait for the next meeting. Votes cannot change afterwards.
     */
    async closeVoting(viewer: Viewer, meetingId: string, requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const meeting = await lockedMeeting(trx, viewer, meetingId);
        if (meeting.status !== 'voting') throw new MeetingStateConflict('notVoting');
        const outcomes = {
          ...(await deps.votes.closeItems(trx, meetingId, requestId)),
          ...(await deps.alsoClose?.(trx, meetingId, requestId)),
        };
        await setMeetingStatus(trx, meetingId, 'closed', now());
        await record(trx, viewer, 'board.meeting.close', meetingId, outcomes, requestId);
        return outcomes;
      });
    },
  };
}
