import type { Executor } from '../../platform/db/executor.js';

// Recommendations on a board meeting's agenda (#19 part 3): the items, the members' votes (adopt,
// reject, or recused with a reason) and each item's outcome.

export async function meetingOf(db: Executor, meetingId: string) {
  return db
    .selectFrom('board_meetings')
    .select(['id', 'scheduled_for', 'status'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
}

/**
 * The meeting, locked: for an agenda change (FOR UPDATE, as the board's own cases do) or a vote
 * (FOR SHARE), so that the meeting's close, which locks it first, waits for both and sees them.
 */
export async function lockMeeting(trx: Executor, meetingId: string, mode: 'update' | 'share') {
  const query = trx.selectFrom('board_meetings').select(['id', 'scheduled_for', 'status']).where('id', '=', meetingId);
  return (mode === 'update' ? query.forUpdate() : query.forShare()).executeTakeFirst();
}

/** The meetings a recommendation can still be put on, soonest first. */
export async function meetingsNotClosed(db: Executor) {
  return db
    .selectFrom('board_meetings')
    .select(['id', 'scheduled_for', 'status'])
    .where('status', '!=', 'closed')
    .orderBy('scheduled_for')
    .execute();
}

export async function itemsOfMeeting(db: Executor, meetingId: string) {
  return db
    .selectFrom('recommendation_items as i')
    .innerJoin('recommendations as r', 'r.id', 'i.recommendation_id')
    .select([
      'i.id',
      'i.outcome',
      'i.votes_for',
      'i.votes_against',
      'r.id as recommendation_id',
      'r.reference',
      'r.title_en',
      'r.title_es',
      'r.body_en',
      'r.body_es',
    ])
    .where('i.meeting_id', '=', meetingId)
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}

/** The agenda item waiting for the recommendation's vote, if any, with its meeting. */
export async function openItemOf(db: Executor, recommendationId: string) {
  return db
    .selectFrom('recommendation_items as i')
    .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
    .select(['i.id', 'i.meeting_id', 'm.scheduled_for', 'm.status'])
    .where('i.recommendation_id', '=', recommendationId)
    .where('i.outcome', 'is', null)
    .executeTakeFirst();
}

export async function insertItem(trx: Executor, recommendationId: string, meetingId: string): Promise<string> {
  const { id } = await trx
    .insertInto('recommendation_items')
    .values({ recommendation_id: recommendationId, meeting_id: meetingId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The item locked for a vote or its close, with its meeting's state. */
export async function lockItem(trx: Executor, itemId: string) {
  return trx
    .selectFrom('recommendation_items as i')
    .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
    .select(['i.id', 'i.recommendation_id', 'i.meeting_id', 'i.outcome', 'm.status as meeting_status'])
    .where('i.id', '=', itemId)
    .forUpdate('i')
    .executeTakeFirst();
}

/** The meeting's items still open, locked in one order (the meeting's close). */
export async function lockOpenItems(trx: Executor, meetingId: string) {
  return trx
    .selectFrom('recommendation_items')
    .select(['id', 'recommendation_id'])
    .where('meeting_id', '=', meetingId)
    .where('outcome', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function votesOn(db: Executor, itemId: string) {
  return db
    .selectFrom('recommendation_votes')
    .select(['member_id', 'choice', 'reason'])
    .where('item_id', '=', itemId)
    .execute();
}

/** A member's vote (or recusal), replacing their earlier one on the item. */
export async function putVote(
  trx: Executor,
  vote: { itemId: string; memberId: string; choice: 'adopt' | 'reject' | 'recused'; reason: string | null; at: Date },
) {
  await trx
    .insertInto('recommendation_votes')
    .values({
      item_id: vote.itemId,
      member_id: vote.memberId,
      choice: vote.choice,
      reason: vote.reason,
      cast_at: vote.at,
    })
    .onConflict((oc) =>
      oc.columns(['item_id', 'member_id']).doUpdateSet({ choice: vote.choice, reason: vote.reason, cast_at: vote.at }),
    )
    .execute();
}

export async function setOutcome(
  trx: Executor,
  itemId: string,
  result: { outcome: 'adopted' | 'not_adopted' | 'no_quorum'; votesFor: number; votesAgainst: number; at: Date },
) {
  await trx
    .updateTable('recommendation_items')
    .set({
      outcome: result.outcome,
      votes_for: result.votesFor,
      votes_against: result.votesAgainst,
      decided_at: result.at,
    })
    .where('id', '=', itemId)
    .execute();
}
