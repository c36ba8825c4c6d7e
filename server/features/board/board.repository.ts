import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { AgendaOutcome } from '../../platform/db/schema.js';

/** Board meetings, their agendas and the reconsideration windows decisions open; votes are in boardVote.repository.ts. */

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
