import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { Finding } from '../../platform/db/schema.js';

/** Votes, recusals and the board's findings on agenda items. */

/** Locks an agenda item: votes, recusals and closing on one case take turns on this row (R22). */
export async function lockAgendaItem(trx: Executor, id: string) {
  return trx.selectFrom('agenda_items').select(['id', 'outcome']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks every item of a meeting, in one order, for its close. */
export async function lockItemsOfMeeting(trx: Executor, meetingId: string) {
  return trx
    .selectFrom('agenda_items')
    .select(['id', 'complaint_id', 'round', 'outcome'])
    .where('meeting_id', '=', meetingId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * An agenda item with what a vote on it needs, in one read: its meeting's status, its case's state,
 * the members recused from the case and the case's allegations in order. Read after the item's
 * lock (a separate statement), so it sees what the previous holder of the lock committed.
 */
export async function itemToVoteOn(db: Executor, id: string) {
  return db
    .selectFrom('agenda_items as i')
    .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
    .innerJoin('complaints as c', 'c.id', 'i.complaint_id')
    .select([
      'i.id',
      'i.meeting_id',
      'i.complaint_id',
      'i.round',
      'i.outcome',
      'i.public_reference',
      'm.status as meeting_status',
      'c.tracking_number',
      'c.state',
      'c.version',
      sql<string[]>`array(select r.member_id::text from recusals r where r.complaint_id = i.complaint_id)`.as(
        'recused',
      ),
      sql<string[]>`array(select a.id::text from allegations a where a.complaint_id = i.complaint_id
        order by a.created_at, a.id)`.as('allegation_ids'),
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

export async function allegationsForVote(db: Executor, complaintId: string) {
  return db
    .selectFrom('allegations as a')
    .leftJoin('officers as o', 'o.id', 'a.officer_id')
    .select([
      'a.id',
      'a.category',
      'a.draft_finding',
      'a.draft_rationale',
      'a.officer_description',
      'o.first_name',
      'o.last_name',
      'o.badge_number',
    ])
    .where('a.complaint_id', '=', complaintId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

export async function votesOfItem(db: Executor, itemId: string) {
  return db
    .selectFrom('votes as v')
    .innerJoin('users as u', 'u.id', 'v.member_id')
    .select([
      'v.allegation_id',
      'v.member_id',
      'v.finding',
      'v.rationale',
      'v.discipline_recommendation',
      'v.updated_at',
      'u.display_name',
    ])
    .where('v.agenda_item_id', '=', itemId)
    .orderBy('u.display_name')
    .execute();
}

/**
 * Records or changes one member's votes on the allegations of this round, in one statement (one
 * row per allegation, member and round, per the constraint).
 */
export async function upsertVotes(
  trx: Executor,
  ballot: { itemId: string; memberId: string; round: number; at: Date },
  votes: Array<{ allegationId: string; finding: Finding; rationale: string | null; recommendation: string | null }>,
) {
  if (votes.length === 0) return;
  await trx
    .insertInto('votes')
    .values(
      votes.map((vote) => ({
        agenda_item_id: ballot.itemId,
        allegation_id: vote.allegationId,
        member_id: ballot.memberId,
        round: ballot.round,
        cast_at: ballot.at,
        finding: vote.finding,
        rationale: vote.rationale,
        discipline_recommendation: vote.recommendation,
        updated_at: ballot.at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['allegation_id', 'member_id', 'round']).doUpdateSet((eb) => ({
        finding: eb.ref('excluded.finding'),
        rationale: eb.ref('excluded.rationale'),
        discipline_recommendation: eb.ref('excluded.discipline_recommendation'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deleteVotesOf(trx: Executor, itemId: string, memberId: string) {
  await trx.deleteFrom('votes').where('agenda_item_id', '=', itemId).where('member_id', '=', memberId).execute();
}

export async function recusalsOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('recusals as r')
    .innerJoin('users as u', 'u.id', 'r.member_id')
    .select(['r.member_id', 'r.reason', 'r.created_at', 'u.display_name'])
    .where('r.complaint_id', '=', complaintId)
    .orderBy('r.created_at')
    .execute();
}

/** False when the member had already recused from the case. */
export async function insertRecusal(
  trx: Executor,
  row0: { complaintId: string; memberId: string; reason: string },
): Promise<boolean> {
  const row = await trx
    .insertInto('recusals')
    .values({ complaint_id: row0.complaintId, member_id: row0.memberId, reason: row0.reason })
    .onConflict((oc) => oc.columns(['complaint_id', 'member_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBoardFindings(
  trx: Executor,
  rows: Array<{
    agenda_item_id: string;
    allegation_id: string;
    finding: Finding | null;
    votes_cast: number;
    votes_for: number;
    by_tie_rule: boolean;
  }>,
) {
  if (rows.length > 0) await trx.insertInto('board_findings').values(rows).execute();
}

/**
 * The final findings of a case's allegations, with the sustaining members' recommendations for the
 * department head, in one statement.
 */
export async function setFinalFindings(
  trx: Executor,
  at: Date,
  findings: Array<{ allegationId: string; finding: Finding; recommendation: string | null }>,
) {
  if (findings.length === 0) return;
  const rows = sql.join(
    findings.map((f) => sql`(${f.allegationId}::uuid, ${f.finding}::text, ${f.recommendation}::text)`),
  );
  await sql`update allegations as a
       set finding = v.finding, discipline_recommendation = v.recommendation, decided_at = ${at}
      from (values ${rows}) as v (id, finding, recommendation)
     where a.id = v.id`.execute(trx);
}

export async function boardFindingsOf(db: Executor, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('board_findings as f')
    .innerJoin('allegations as a', 'a.id', 'f.allegation_id')
    .select([
      'f.agenda_item_id',
      'f.allegation_id',
      'f.finding',
      'f.votes_cast',
      'f.votes_for',
      'f.by_tie_rule',
      'a.category',
    ])
    .where('f.agenda_item_id', 'in', itemIds)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}
