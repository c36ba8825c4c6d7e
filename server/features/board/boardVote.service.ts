import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import {
  agendaItemById,
  allegationsForVote,
  insertBoardFindings,
  insertRecusal,
  lapsedReconsiderations,
  lockAgendaItem,
  recusalsOf,
  setFinalFinding,
  setItemOutcome,
  upsertVote,
  votesOfItem,
  deleteVotesOf,
} from './board.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import type { Finding } from '../../domain/vocabulary.js';
import type { AgendaOutcome } from '../../domain/vocabulary.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { quorumOf, tally, type Tally } from './board.rules.js';
import { boardSettingsIn, type BoardSettings } from './boardSettings.service.js';
import type { DeadlineService } from '../../platform/deadlines/deadline.service.js';
import { ConflictError, type WorkflowService } from '../../platform/workflow/workflow.service.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';

const SYSTEM = { kind: 'system' } as const;

/** No such item for this member: not a board member, not seated, recused, or not there at all. */
export class BallotNotFound extends Error {}
/** The vote on this case is not open (not yet, or closed, or decided). */
export class VotingClosed extends Error {}
/** The ballot does not name exactly the case's allegations. */
export class BallotMismatch extends Error {}

export interface BallotEntry {
  allegationId: string;
  finding: Finding;
  rationale: string | null;
  recommendation: string | null;
}

type ItemRef = { id: string; complaint_id: string; round: number };

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
  now?: () => Date;
}) {
  const { db, audit, workflow } = deps;
  const now = deps.now ?? (() => new Date());

  /** The seated members not recused from the case: those whose votes count. */
  async function eligibleOf(trx: Executor, settings: BoardSettings, complaintId: string) {
    const recused = new Set((await recusalsOf(trx, complaintId)).map((r) => r.member_id));
    return settings.seated.filter((id) => !recused.has(id));
  }

  /** Each allegation's tally from the eligible members' votes. */
  async function talliesOf(trx: Executor, item: ItemRef, settings: BoardSettings) {
    const eligible = new Set(await eligibleOf(trx, settings, item.complaint_id));
    const allegations = await allegationsForVote(trx, item.complaint_id);
    const votes = (await votesOfItem(trx, item.id)).filter((v) => eligible.has(v.member_id));
    const quorum = quorumOf(settings.quorum, settings.seated.length);
    const tallies = allegations.map((a) => {
      const on = votes.filter((v) => v.allegation_id === a.id);
      return {
        allegationId: a.id,
        votes: on,
        result: tally(
          on.map((v) => v.finding),
          quorum,
          settings.tieRule,
        ),
      };
    });
    const complete = eligible.size > 0 && tallies.every((t) => t.votes.length === eligible.size);
    return { tallies, complete };
  }

  /** What the sustaining members recommended, for the department head. */
  const recommendationOf = (votes: Array<{ finding: Finding; discipline_recommendation: string | null }>) =>
    votes
      .filter((v) => v.finding === 'sustained' && v.discipline_recommendation)
      .map((v) => v.discipline_recommendation!)
      .join('\n\n') || null;

  /**
   * Ends an item's vote with these tallies: decided (every allegation has a finding) moves the case
   * to disposition with the reconsideration window; otherwise it goes back to wait for a meeting.
   */
  async function conclude(
    trx: Executor,
    item: ItemRef,
    tallies: Array<{
      allegationId: string;
      votes: Array<{ finding: Finding; discipline_recommendation: string | null }>;
      result: Tally;
    }>,
    requestId?: string,
  ): Promise<AgendaOutcome> {
    const at = now();
    const quorate = tallies.length > 0 && tallies.every((t) => t.result.quorate);
    let outcome: AgendaOutcome = !quorate
      ? 'no_quorum'
      : tallies.every((t) => t.result.finding)
        ? 'decided'
        : 'undecided';
    if (outcome === 'decided') {
      const reconsiderationUntil = (await deps.deadlines.dueAt(trx, 'reconsideration', at)).toISOString();
      try {
        await workflow.dispatchIn(trx, item.complaint_id, { type: 'BOARD_DECIDED', reconsiderationUntil }, SYSTEM, {
          requestId,
          within: async (t) => {
            for (const entry of tallies) {
              await setFinalFinding(t, {
                allegationId: entry.allegationId,
                finding: entry.result.finding!,
                recommendation: entry.result.finding === 'sustained' ? recommendationOf(entry.votes) : null,
                at,
              });
            }
          },
        });
      } catch (error) {
        // A withdrawal the agency has not ruled on yet holds the decision back.
        if (!(error instanceof IllegalTransition)) throw error;
        outcome = 'undecided';
      }
    }
    if (outcome !== 'decided') {
      await workflow.dispatchIn(trx, item.complaint_id, { type: 'NO_QUORUM' }, SYSTEM, { requestId });
    }
    if (quorate) {
      await insertBoardFindings(
        trx,
        tallies.map((t) => ({
          agenda_item_id: item.id,
          allegation_id: t.allegationId,
          finding: outcome === 'decided' ? t.result.finding : null,
          votes_cast: t.result.votesCast,
          votes_for: outcome === 'decided' ? t.result.votesFor : 0,
          by_tie_rule: t.result.byTieRule,
        })),
      );
    }
    await setItemOutcome(trx, item.id, outcome, at);
    return outcome;
  }

  /** The open item for this member, locked, or the reason it cannot be voted on. */
  async function openItemFor(trx: Executor, viewer: Viewer, itemId: string, settings: BoardSettings) {
    if (!viewer.roles.includes('board') || !UUID.test(itemId)) throw new BallotNotFound();
    const locked = await lockAgendaItem(trx, itemId);
    if (!locked) throw new BallotNotFound();
    const item = await agendaItemById(trx, itemId);
    if (!item) throw new BallotNotFound();
    const eligible = await eligibleOf(trx, settings, item.complaint_id);
    if (!eligible.includes(viewer.userId)) throw new BallotNotFound();
    if (item.meeting_status !== 'voting' || item.outcome !== null || item.state !== 'boardReview.voting') {
      throw new VotingClosed();
    }
    return item;
  }

  return {
    /** The ballot of one member on one item: the allegations and the member's current votes. */
    async ballot(viewer: Viewer, itemId: string) {
      if (!viewer.roles.includes('board') || !UUID.test(itemId)) return undefined;
      const item = await agendaItemById(db, itemId);
      if (!item) return undefined;
      const settings = await boardSettingsIn(db);
      const recused = (await recusalsOf(db, item.complaint_id)).some((r) => r.member_id === viewer.userId);
      if (recused || !settings.seated.includes(viewer.userId)) return undefined;
      const allegations = await allegationsForVote(db, item.complaint_id);
      const mine = (await votesOfItem(db, itemId)).filter((v) => v.member_id === viewer.userId);
      const open = item.meeting_status === 'voting' && item.outcome === null && item.state === 'boardReview.voting';
      return { item, allegations, votes: mine, open };
    },

    /**
     * Records (or changes) a member's finding on every allegation of the case. When every member
     * whose vote counts has voted, and they make a quorum, the case is decided there and then.
     */
    async vote(viewer: Viewer, itemId: string, ballot: BallotEntry[], requestId?: string) {
      return db.transaction().execute(async (trx) => {
        const settings = await boardSettingsIn(trx);
        const item = await openItemFor(trx, viewer, itemId, settings);
        const allegations = (await allegationsForVote(trx, item.complaint_id)).map((a) => a.id);
        const named = new Set(ballot.map((b) => b.allegationId));
        if (
          named.size !== ballot.length ||
          allegations.length !== named.size ||
          allegations.some((id) => !named.has(id))
        ) {
          throw new BallotMismatch();
        }
        const at = now();
        for (const entry of ballot) {
          await upsertVote(trx, {
            itemId,
            allegationId: entry.allegationId,
            memberId: viewer.userId,
            round: item.round,
            finding: entry.finding,
            rationale: entry.rationale,
            recommendation: entry.finding === 'sustained' ? entry.recommendation : null,
            at,
          });
        }
        const { tallies, complete } = await talliesOf(trx, item, settings);
        const decided =
          complete && tallies.every((t) => t.result.quorate)
            ? await conclude(trx, item, tallies, requestId)
            : undefined;
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
        const item = await openItemFor(trx, viewer, itemId, settings).catch((error: unknown) => {
          // Recusing is possible before the vote opens too; only a missing or foreign item is refused.
          if (error instanceof VotingClosed) return undefined;
          throw error;
        });
        const target = item ?? (await agendaItemById(trx, itemId))!;
        await insertRecusal(trx, { complaintId: target.complaint_id, memberId: viewer.userId, reason });
        await deleteVotesOf(trx, itemId, viewer.userId);
        let outcome: AgendaOutcome | undefined;
        if (item) {
          const { tallies, complete } = await talliesOf(trx, item, { ...settings });
          if (complete && tallies.every((t) => t.result.quorate))
            outcome = await conclude(trx, item, tallies, requestId);
        }
        await audit.record(trx, {
          type: 'board.recusal',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id: target.complaint_id },
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
      const items = await trx
        .selectFrom('agenda_items')
        .select(['id', 'complaint_id', 'round', 'outcome'])
        .where('meeting_id', '=', meetingId)
        .orderBy('id')
        .forUpdate()
        .execute();
      const counts: Record<string, number> = {};
      for (const item of items.filter((i) => i.outcome === null)) {
        const current = await agendaItemById(trx, item.id);
        let outcome: AgendaOutcome;
        if (current?.state !== 'boardReview.voting') {
          outcome = current?.state === 'closed' ? 'withdrawn' : 'returned';
          await setItemOutcome(trx, item.id, outcome, now());
        } else {
          outcome = await conclude(trx, item, (await talliesOf(trx, item, settings)).tallies, requestId);
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
