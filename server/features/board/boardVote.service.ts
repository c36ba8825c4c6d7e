import { Conflict, InvalidField, NotFound } from '../../domain/errors.js';
import { may } from '../../domain/policy.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import { lapsedReconsiderations, setItemOutcome } from './board.repository.js';
import {
  allegationsForVote,
  deleteVotesOf,
  insertRecusal,
  itemToVoteOn,
  lockAgendaItem,
  lockItemsOfMeeting,
  upsertVotes,
  votesOfItem,
} from './boardVote.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import type { Finding } from '../../domain/vocabulary.js';
import type { AgendaOutcome } from '../../domain/vocabulary.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { decidesNow, eligibleMembers, tallyItem } from './board.tally.js';
import { itemConcluder, type ItemRef } from './boardVote.decision.js';
import { boardSettingsIn, type BoardSettings } from './boardSettings.service.js';
import type { DeadlineService } from '../../platform/deadlines/deadline.service.js';
import { ConflictError, type WorkflowService } from '../../platform/workflow/workflow.service.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';
import { toBallotView, type BallotView } from './boardVote.view.js';

const SYSTEM = { kind: 'system' } as const;

/** No such item for this member: not a board member, not seated, recused, or not there at all. */
export class BallotNotFound extends NotFound {}
/** The vote on this case is not open (not yet, or closed, or decided). */
export class VotingClosed extends Conflict {
  constructor() {
    super('voting closed', { reason: 'votingClosed' });
  }
}
/** The ballot does not name exactly the case's allegations (a form from before the allegations changed). */
export class BallotMismatch extends InvalidField {
  constructor() {
    super('ballot', 'board.ballot.mismatch');
  }
}

export interface BallotEntry {
  allegationId: string;
  finding: Finding;
  rationale: string | null;
  recommendation: string | null;
}

/** Whether an item takes votes: its meeting is voting, it has no outcome, its case waits for the vote. */
const isOpen = (item: { meeting_status: string; outcome: string | null; state: string }) =>
  item.meeting_status === 'voting' && item.outcome === null && item.state === 'boardReview.voting';

export type BoardVoteService = ReturnType<typeof boardVoteService>;

/**
 * Votes and recusals on one agenda item, and the decision they make. Every step locks the agenda
 * item first, so simultaneous votes, changes and the close take turns: one decision, no lost vote (R22).
 */
export function boardVoteService(deps: {
  db: Db;
  audit: AuditService;
  workflow: WorkflowService;
  deadlines: DeadlineService;
  clock: Clock;
}) {
  const { db, audit, workflow } = deps;
  const now = deps.clock;

  /** Each allegation's tally from the votes cast so far by the members whose votes count. */
  async function countOf(
    trx: Executor,
    item: ItemRef,
    allegationIds: string[],
    eligible: string[],
    rules: BoardSettings,
  ) {
    const votes = await votesOfItem(trx, item.id);
    return tallyItem({ allegationIds, votes, eligible, rules, seatedCount: rules.seated.length });
  }

  const conclude = itemConcluder({ workflow, deadlines: deps.deadlines, now });

  /**
   * This member's item, locked, read once with whom the vote counts (the seated members not recused
   * from the case) and whether it is open; BallotNotFound when it is not theirs to vote on.
   */
  async function lockedItemFor(trx: Executor, viewer: Viewer, itemId: string, settings: BoardSettings) {
    if (!may(viewer, 'board.vote') || !UUID.test(itemId)) throw new BallotNotFound();
    const locked = await lockAgendaItem(trx, itemId);
    if (!locked) throw new BallotNotFound();
    const item = await itemToVoteOn(trx, itemId);
    if (!item) throw new BallotNotFound();
    const eligible = eligibleMembers(settings.seated, item.recused);
    if (!eligible.includes(viewer.userId)) throw new BallotNotFound();
    return { item, eligible, open: isOpen(item) };
  }

  return {
    /** The ballot of one member on one item: the allegations and the member's current votes. */
    async ballot(viewer: Viewer, itemId: string): Promise<BallotView | undefined> {
      if (!may(viewer, 'board.vote') || !UUID.test(itemId)) return undefined;
      const item = await itemToVoteOn(db, itemId);
      if (!item) return undefined;
      const settings = await boardSettingsIn(db);
      if (item.recused.includes(viewer.userId) || !settings.seated.includes(viewer.userId)) return undefined;
      const allegations = await allegationsForVote(db, item.complaint_id);
      const mine = (await votesOfItem(db, itemId)).filter((v) => v.member_id === viewer.userId);
      return toBallotView(item, allegations, mine, isOpen(item));
    },

    /**
     * What a ballot form is checked against, in one read: the case's allegations, whether the vote
     * is open, and where to go after. Whether the member's vote counts is checked by vote() under
     * the item's lock, so a form sent by someone not seated is refused there (404).
     */
    async ballotShape(viewer: Viewer, itemId: string) {
      if (!may(viewer, 'board.vote') || !UUID.test(itemId)) return undefined;
      const found = await itemToVoteOn(db, itemId);
      if (!found || found.recused.includes(viewer.userId)) return undefined;
      return {
        allegationIds: found.allegation_ids,
        open: isOpen(found),
        complaintId: found.complaint_id,
        meetingId: found.meeting_id,
      };
    },

    /**
     * Records (or changes) a member's finding on every allegation of the case. When every member
     * whose vote counts has voted, and they make a quorum, the case is decided there and then.
     */
    async vote(viewer: Viewer, itemId: string, ballot: BallotEntry[], requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const settings = await boardSettingsIn(trx);
        const { item, eligible, open } = await lockedItemFor(trx, viewer, itemId, settings);
        if (!open) throw new VotingClosed();
        const allegations = item.allegation_ids;
        const named = new Set(ballot.map((b) => b.allegationId));
        if (
          named.size !== ballot.length ||
          allegations.length !== named.size ||
          allegations.some((id) => !named.has(id))
        ) {
          throw new BallotMismatch();
        }
        await upsertVotes(
          trx,
          { itemId, memberId: viewer.userId, round: item.round, at: now() },
          ballot.map((entry) => ({
            allegationId: entry.allegationId,
            finding: entry.finding,
            rationale: entry.rationale,
            recommendation: entry.finding === 'sustained' ? entry.recommendation : null,
          })),
        );
        const count = await countOf(trx, item, allegations, eligible, settings);
        const decided = decidesNow(count) ? await conclude(trx, item, count.tallies, requestId) : undefined;
        await audit.record(trx, {
          type: 'board.vote',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'agenda_item', id: itemId },
          requestId,
          details: { complaintId: item.complaint_id, round: item.round, findings: ballot.map((b) => b.finding) },
        });
        return { outcome: decided ?? null };
      });
    },

    /**
     * A member steps aside from a case with a reason: their votes on it go, they see no more of it,
     * and the others' votes may now be complete.
     */
    async recuse(viewer: Viewer, itemId: string, reason: string, requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const settings = await boardSettingsIn(trx);
        // Recusing is possible before the vote opens too; only a missing or foreign item is refused.
        const { item, eligible, open } = await lockedItemFor(trx, viewer, itemId, settings);
        await insertRecusal(trx, { complaintId: item.complaint_id, memberId: viewer.userId, reason });
        await deleteVotesOf(trx, itemId, viewer.userId);
        let outcome: AgendaOutcome | undefined;
        if (open) {
          // The others' votes may now be complete.
          const others = eligible.filter((id) => id !== viewer.userId);
          const count = await countOf(trx, item, item.allegation_ids, others, settings);
          if (decidesNow(count)) outcome = await conclude(trx, item, count.tallies, requestId);
        }
        await audit.record(trx, {
          type: 'board.recusal',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id: item.complaint_id },
          requestId,
          details: { agendaItemId: itemId },
        });
        return { outcome: outcome ?? null };
      });
    },

    /** The close of a meeting's vote, inside its transaction: every open item concluded. */
    async closeItems(trx: Executor, meetingId: string, requestId?: string): Promise<Record<string, number>> {
      const settings = await boardSettingsIn(trx);
      // Lock every item first, in one order, before any case moves: a voter holding one item
      // finishes, and nobody waits on the audit chain while holding an item (no deadlock).
      const items = await lockItemsOfMeeting(trx, meetingId);
      const counts: Record<string, number> = {};
      for (const item of items.filter((i) => i.outcome === null)) {
        const current = await itemToVoteOn(trx, item.id);
        let outcome: AgendaOutcome;
        if (current?.state !== 'boardReview.voting') {
          outcome = current?.state === 'closed' ? 'withdrawn' : 'returned';
          await setItemOutcome(trx, item.id, outcome, now());
        } else {
          const eligible = eligibleMembers(settings.seated, current.recused);
          const count = await countOf(trx, item, current.allegation_ids, eligible, settings);
          outcome = await conclude(trx, item, count.tallies, requestId);
        }
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      return counts;
    },

    /** The sweeper's part: cases whose reconsideration window has ended are closed. */
    async closeLapsedReconsiderations(): Promise<number> {
      let closed = 0;
      for (const row of await lapsedReconsiderations(db, now(), 100)) {
        try {
          await workflow.dispatch(row.id, { type: 'RECONSIDERATION_WINDOW_CLOSED' }, SYSTEM, {
            expectedVersion: row.version,
          });
          closed++;
        } catch (error) {
          // Another instance got there first, or the case moved on: nothing to do.
          if (!(error instanceof ConflictError || error instanceof IllegalTransition)) throw error;
        }
      }
      return closed;
    },
  };
}
