import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { AgendaOutcome, Finding } from '../../platform/db/schema.js';

/** Board meetings, their agendas, votes, recusals and decisions. */

/** A case's allegation categories in order, on `complaints as c`. */
const categoriesOfCase = sql<string[]>`array(select a.category from allegations a where a.complaint_id = c.id
  order by a.created_at, a.id)`;

export async function listMeetings(db: Executor) {
  return db
    .selectFrom('board_meetings as m')
    .select((eb) => [
      'm.id',
      'm.scheduled_for',
      'm.location',
      'm.status',
      'm.opened_at',
      'm.closed_at',
      eb
        .selectFrom('agenda_items as i')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('i.meeting_id', '=', 'm.id')
        .as('items'),
    ])
    .orderBy('m.scheduled_for', 'desc')
    .limit(200)
    .execute();
}

export async function meetingById(db: Executor, id: string) {
  return db.selectFrom('board_meetings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function meetingForUpdate(trx: Executor, id: string) {
  return trx.selectFrom('board_meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertMeeting(
  trx: Executor,
  row: { scheduled_for: Date; location: string | null; created_by: string },
): Promise<string> {
  return (await trx.insertInto('board_meetings').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setMeetingStatus(trx: Executor, id: string, status: 'voting' | 'closed', at: Date) {
  await trx
    .updateTable('board_meetings')
    .set(status === 'voting' ? { status, opened_at: at } : { status, closed_at: at })
    .where('id', '=', id)
    .execute();
}

/** The items of a meeting's agenda in order, with what the public and staff lists show of each case. */
export async function agendaOf(db: Executor, meetingId: string) {
  return db
    .selectFrom('agenda_items as i')
    .innerJoin('complaints as c', 'c.id', 'i.complaint_id')
    .select([
      'i.id',
      'i.complaint_id',
      'i.round',
      'i.position',
      'i.public_reference',
      'i.outcome',
      'i.decided_at',
      'c.tracking_number',
      'c.state',
      'c.district',
      'c.received_at',
      categoriesOfCase.as('categories'),
    ])
    .where('i.meeting_id', '=', meetingId)
    .orderBy('i.position')
    .execute();
}

export async function agendaItemById(db: Executor, id: string) {
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
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** Locks an agenda item: votes, recusals and closing on one case take turns on this row (R22). */
export async function lockAgendaItem(trx: Executor, id: string) {
  return trx.selectFrom('agenda_items').select(['id', 'outcome']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Cases waiting for a meeting: in board review, scheduled, and on no agenda still open. */
export async function casesAwaitingAgenda(db: Executor) {
  return db
    .selectFrom('complaints as c')
    .select(['c.id', 'c.tracking_number', 'c.district', 'c.received_at', categoriesOfCase.as('categories')])
    .where('c.stage', '=', 'boardReview') // the (stage, received_at) index
    .where('c.state', '=', 'boardReview.scheduled')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('agenda_items as i')
            .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
            .select('i.id')
            .whereRef('i.complaint_id', '=', 'c.id')
            .where('m.status', '<>', 'closed')
            .where('i.outcome', 'is', null),
        ),
      ),
    )
    .orderBy('c.stage_changed_at')
    .limit(500)
    .execute();
}

/**
 * Adds a case to an agenda with the next round of its votes and the next public reference of the
 * year (BR-2026-001). Callers hold the meeting's lock; the reference counter takes its own.
 */
export async function insertAgendaItem(
  trx: Executor,
  item: { meetingId: string; complaintId: string; year: number },
): Promise<{ id: string; publicReference: string }> {
  await sql`select pg_advisory_xact_lock(hashtext('board:public_reference'))`.execute(trx);
  const prefix = `BR-${item.year}-`;
  const { n } = await trx
    .selectFrom('agenda_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('public_reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  const { rounds } = await trx
    .selectFrom('agenda_items')
    .select((eb) => eb.fn.countAll<number>().as('rounds'))
    .where('complaint_id', '=', item.complaintId)
    .executeTakeFirstOrThrow();
  const { last } = await trx
    .selectFrom('agenda_items')
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('meeting_id', '=', item.meetingId)
    .executeTakeFirstOrThrow();
  const publicReference = `${prefix}${String(Number(n) + 1).padStart(3, '0')}`;
  const row = await trx
    .insertInto('agenda_items')
    .values({
      meeting_id: item.meetingId,
      complaint_id: item.complaintId,
      round: Number(rounds) + 1,
      position: (last === null ? 0 : Number(last)) + 1,
      public_reference: publicReference,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, publicReference };
}

export async function deleteAgendaItem(trx: Executor, meetingId: string, itemId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('agenda_items')
    .where('id', '=', itemId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export async function setItemOutcome(trx: Executor, itemId: string, outcome: AgendaOutcome, at: Date) {
  await trx
    .updateTable('agenda_items')
    .set({ outcome, decided_at: outcome === 'decided' ? at : null })
    .where('id', '=', itemId)
    .execute();
}

export async function allegationsForVote(db: Executor, complaintId: string) {
  return db
    .selectFrom('allegations as a')
    .leftJoin('officers as o', 'o.id', 'a.officer_id')
    .select([
      'a.id',
      'a.category',
      'a.draft_finding',
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

/** Records or changes one member's vote on one allegation of this round (one row per the constraint). */
export async function upsertVote(
  trx: Executor,
  vote: {
    itemId: string;
    allegationId: string;
    memberId: string;
    round: number;
    finding: Finding;
    rationale: string | null;
    recommendation: string | null;
    at: Date;
  },
) {
  const values = {
    finding: vote.finding,
    rationale: vote.rationale,
    discipline_recommendation: vote.recommendation,
    updated_at: vote.at,
  };
  await trx
    .insertInto('votes')
    .values({
      agenda_item_id: vote.itemId,
      allegation_id: vote.allegationId,
      member_id: vote.memberId,
      round: vote.round,
      cast_at: vote.at,
      ...values,
    })
    .onConflict((oc) => oc.columns(['allegation_id', 'member_id', 'round']).doUpdateSet(values))
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

/** Active users holding the board role. */
export async function boardMembers(db: Executor) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name'])
    .where('r.role', '=', 'board')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name')
    .execute();
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

/** The final finding of an allegation, with the sustaining members' recommendations for the department head. */
export async function setFinalFinding(
  trx: Executor,
  row: { allegationId: string; finding: Finding; recommendation: string | null; at: Date },
) {
  await trx
    .updateTable('allegations')
    .set({ finding: row.finding, discipline_recommendation: row.recommendation, decided_at: row.at })
    .where('id', '=', row.allegationId)
    .execute();
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

/** The cases whose reconsideration window has ended and that still wait in disposition. */
export async function lapsedReconsiderations(db: Executor, at: Date, limit: number) {
  return db
    .selectFrom('complaints as c')
    .innerJoin('deadlines as d', 'd.complaint_id', 'c.id')
    .select(['c.id', 'c.version'])
    .where('c.stage', '=', 'disposition') // the (stage, received_at) index: runs every minute
    .where('c.state', '=', 'disposition')
    .where('d.kind', '=', 'reconsideration')
    .where('d.completed_at', 'is', null)
    .where('d.due_at', '<=', at)
    .limit(limit)
    .execute();
}
