import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/executor.js';
import type { DeadlineService } from '../../platform/deadlines/deadline.service.js';
import { may } from '../../domain/policy.js';
import { Conflict, NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/vocabulary.js';
import { isId } from '../../domain/ids.js';
import { boardSettingsIn } from '../board/boardSettings.service.js';
import { draftsOffAgenda, lockRecommendation, updateRecommendation } from './recommendation.repository.js';
import {
  insertItem,
  itemsOfMeeting,
  lockItem,
  lockMeeting,
  lockOpenItems,
  meetingOf,
  openItemOf,
  putVote,
  setOutcome,
  votesOn,
} from './recommendationBoard.repository.js';
import { countRecommendation, decidesNow, type RecommendationChoice } from './recommendation.rules.js';

export type RecommendationVoteService = ReturnType<typeof recommendationVoteService>;

/**
 * Recommendations on a board meeting's agenda (#19 part 3): organisers put drafts on it, seated
 * members vote to adopt or not (or recuse, with a reason), and the vote decides as soon as every
 * member who has not recused has voted with a quorum, or when the meeting's vote closes. Adopted,
 * a recommendation goes to the department with a response deadline (the admin's policy). Every
 * step locks the item first, so votes and the close take turns (R22).
 */
export function recommendationVoteService(deps: {
  db: Db;
  audit: AuditService;
  deadlines: DeadlineService;
  clock: Clock;
}) {
  const { db } = deps;
  const record = (
    trx: Executor,
    viewer: Viewer | null,
    type: string,
    id: string,
    details: Record<string, string | number>,
    requestId?: string,
  ) =>
    deps.audit.record(trx, {
      type,
      actor: viewer ? { type: 'user', id: viewer.userId } : { type: 'system' },
      object: { type: 'recommendation', id },
      requestId,
      details,
    });

  /** Writes the item's outcome; adopted, the recommendation goes to the department with its deadline. */
  async function conclude(
    trx: Executor,
    item: { id: string; recommendation_id: string },
    count: ReturnType<typeof countRecommendation>,
    requestId?: string,
  ) {
    const at = deps.clock();
    const { outcome, votesFor, votesAgainst } = count;
    await setOutcome(trx, item.id, { outcome, votesFor, votesAgainst, at });
    if (outcome === 'adopted') {
      const due = await deps.deadlines.dueAt(trx, 'recommendation_response', at);
      await updateRecommendation(trx, item.recommendation_id, {
        status: 'adopted',
        adopted_at: at,
        response_due_at: due,
      });
    } else if (outcome === 'not_adopted') {
      await updateRecommendation(trx, item.recommendation_id, { status: 'not_adopted' });
    }
    // Without a quorum it stays a draft, for a later meeting's agenda.
    await record(
      trx,
      null,
      'board.recommendation.decided',
      item.recommendation_id,
      { item: item.id, outcome, votesFor, votesAgainst },
      requestId,
    );
    return outcome;
  }

  return {
    /** A meeting's recommendations, each with this member's vote, and the drafts an organiser could add. */
    async agenda(viewer: Viewer, meetingId: string, language: Language) {
      if (!may(viewer, 'board.takePart') || !isId(meetingId)) throw new NotFound('meeting');
      const meeting = await meetingOf(db, meetingId);
      if (!meeting) throw new NotFound('meeting');
      const settings = await boardSettingsIn(db);
      const items = await itemsOfMeeting(db, meetingId);
      const seated = may(viewer, 'board.vote') && settings.seated.includes(viewer.userId);
      const views = [];
      for (const item of items) {
        const votes = await votesOn(db, item.id);
        const count = countRecommendation(votes, settings.seated, settings.quorum);
        const mine = votes.find((v) => v.member_id === viewer.userId);
        views.push({
          id: item.id,
          reference: item.reference,
          title: language === 'es' ? item.title_es : item.title_en,
          body: language === 'es' ? item.body_es : item.body_en,
          outcome: item.outcome,
          // While open, how many have voted, not how: as on a case's ballot. Decided, the count kept.
          progress: { voted: count.votesFor + count.votesAgainst, eligible: count.eligible, quorum: count.quorum },
          result: item.outcome ? { votesFor: item.votes_for ?? 0, votesAgainst: item.votes_against ?? 0 } : null,
          open: meeting.status === 'voting' && item.outcome === null,
          myVote: mine ? { choice: mine.choice, reason: mine.reason } : null,
        });
      }
      const organiser = may(viewer, 'board.organise') && meeting.status !== 'closed';
      const waiting = organiser ? await draftsOffAgenda(db) : [];
      return {
        meeting: { id: meeting.id, at: meeting.scheduled_for, status: meeting.status },
        items: views,
        seated,
        organiser,
        drafts: waiting.map((d) => ({
          value: d.id,
          label: `${d.reference}: ${language === 'es' ? d.title_es : d.title_en}`,
        })),
      };
    },

    /** Puts a draft on a meeting's agenda; on a meeting already voting, its vote opens at once. */
    async addToAgenda(viewer: Viewer, meetingId: string, recommendationId: string, requestId?: string) {
      if (!may(viewer, 'board.organise') || !isId(meetingId)) throw new NotFound('meeting');
      return db.transaction().execute(async (trx) => {
        const meeting = await lockMeeting(trx, meetingId, 'update');
        if (!meeting) throw new NotFound('meeting');
        if (meeting.status === 'closed') throw new Conflict('meeting closed', { reason: 'closed' });
        const row = isId(recommendationId) ? await lockRecommendation(trx, recommendationId) : undefined;
        if (!row || row.status !== 'draft' || (await openItemOf(trx, recommendationId))) {
          throw new Conflict('not a draft waiting for an agenda', { reason: 'notWaiting' });
        }
        const itemId = await insertItem(trx, recommendationId, meetingId);
        await record(
          trx,
          viewer,
          'board.agenda.add_recommendation',
          recommendationId,
          { meeting: meetingId, item: itemId },
          requestId,
        );
        return itemId;
      });
    },

    /**
     * A seated member's vote (or recusal, with a reason) on an item of this meeting; the item may be
     * decided by it. A recusal is final, as on a case, and can be made before the vote opens. Locks
     * the meeting (shared) before the item, in the order the meeting's close takes them.
     */
    async vote(
      viewer: Viewer,
      meetingId: string,
      itemId: string,
      choice: RecommendationChoice,
      reason: string | null,
      requestId?: string,
    ) {
      if (!may(viewer, 'board.vote') || !isId(itemId) || !isId(meetingId)) throw new NotFound('item');
      return db.transaction().execute(async (trx) => {
        const settings = await boardSettingsIn(trx);
        if (!settings.seated.includes(viewer.userId)) throw new NotFound('item');
        if (!(await lockMeeting(trx, meetingId, 'share'))) throw new NotFound('item');
        const item = await lockItem(trx, itemId);
        if (!item || item.meeting_id !== meetingId) throw new NotFound('item');
        const open = item.meeting_status === 'voting' || (choice === 'recused' && item.meeting_status === 'scheduled');
        if (!open || item.outcome !== null) throw new Conflict('voting closed', { reason: 'votingClosed' });
        const before = (await votesOn(trx, itemId)).find((v) => v.member_id === viewer.userId);
        if (before?.choice === 'recused') throw new Conflict('recused', { reason: 'recused' });
        await putVote(trx, { itemId, memberId: viewer.userId, choice, reason, at: deps.clock() });
        await record(
          trx,
          viewer,
          choice === 'recused' ? 'board.recusal' : 'board.vote',
          item.recommendation_id,
          { item: itemId, choice },
          requestId,
        );
        const count = countRecommendation(await votesOn(trx, itemId), settings.seated, settings.quorum);
        const decides = item.meeting_status === 'voting' && decidesNow(count);
        return { outcome: decides ? await conclude(trx, item, count, requestId) : null };
      });
    },

    /** The close of a meeting's vote, inside its transaction: each open recommendation decided by the votes cast. */
    async closeItems(trx: Executor, meetingId: string, requestId?: string): Promise<Record<string, number>> {
      const settings = await boardSettingsIn(trx);
      const outcomes: Record<string, number> = {};
      for (const item of await lockOpenItems(trx, meetingId)) {
        const count = countRecommendation(await votesOn(trx, item.id), settings.seated, settings.quorum);
        const outcome = await conclude(trx, item, count, requestId);
        const key = `recommendation_${outcome}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      return outcomes;
    },
  };
}
