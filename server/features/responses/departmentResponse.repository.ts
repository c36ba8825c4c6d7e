import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { Insertable } from 'kysely';
import type { DepartmentResponsesTable } from '../../platform/db/schema.js';

// The department's responses to sustained findings (#19 part 1): the cases that await one, each
// case's sustained allegations with their dated entries, and a new entry. Entries are never
// updated (migration 0025 refuses it).

const CLOCK = 'department_response';

/** The cases whose response clock runs, soonest due first (the partial index of migration 0025). */
export async function casesAwaitingResponse(db: Executor, limit: number) {
  return db
    .selectFrom('deadlines as d')
    .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
    .select(['c.id', 'c.tracking_number', 'c.stage', 'd.starts_at', 'd.due_at', 'd.status'])
    .where('d.kind', '=', CLOCK)
    .where('d.completed_at', 'is', null)
    .orderBy('d.due_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/** How many cases await a response (the same partial index). */
export async function countAwaitingResponse(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('deadlines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', CLOCK)
    .where('completed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest entries recorded, newest first, with their case. */
export async function recentResponses(db: Executor, limit: number) {
  return db
    .selectFrom('department_responses as r')
    .innerJoin('complaints as c', 'c.id', 'r.complaint_id')
    .select(['c.id', 'c.tracking_number', 'r.concurred', 'r.discipline', 'r.responded_on', 'r.recorded_at'])
    .orderBy('r.recorded_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** A case's tracking number, stage and receipt, and its latest response clock (if it ever had one). */
export async function responseCase(db: Executor, complaintId: string) {
  return db
    .selectFrom('complaints as c')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('deadlines as d')
          .select(['d.starts_at', 'd.due_at', 'd.status', 'd.completed_at'])
          .whereRef('d.complaint_id', '=', 'c.id')
          .where('d.kind', '=', CLOCK)
          .orderBy('d.starts_at', 'desc')
          .limit(1)
          .as('d'),
      (join) => join.onTrue(),
    )
    .select([
      'c.id',
      'c.tracking_number',
      'c.stage',
      'c.received_at',
      'd.starts_at',
      'd.due_at',
      'd.status',
      'd.completed_at',
    ])
    .where('c.id', '=', complaintId)
    .executeTakeFirst();
}

/** Every entry of the case in the order recorded (the last is in force), with who recorded it. */
export async function responsesOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('department_responses as r')
    .leftJoin('users as u', 'u.id', 'r.recorded_by')
    .select([
      'r.id',
      'r.allegation_id',
      'r.concurred',
      'r.discipline',
      'r.suspension_days',
      'r.responded_on',
      'r.note',
      'r.recorded_at',
      'u.display_name as recorded_by',
    ])
    .where('r.complaint_id', '=', complaintId)
    .orderBy('r.recorded_at')
    .orderBy('r.id')
    .execute();
}

/** Locks the case for a new entry, so two entries at once agree on whether the clock stops. */
export async function lockCase(trx: Executor, complaintId: string): Promise<boolean> {
  const { rows } = await sql`select 1 from complaints where id = ${complaintId} for update`.execute(trx);
  return rows.length > 0;
}

export async function insertResponse(trx: Executor, row: Insertable<DepartmentResponsesTable>): Promise<string> {
  const { id } = await trx.insertInto('department_responses').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Whether every sustained allegation of the case has at least one entry. */
export async function everySustainedAnswered(trx: Executor, complaintId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('allegations as a')
    .select((eb) => eb.fn.countAll<number>().as('waiting'))
    .where('a.complaint_id', '=', complaintId)
    .where('a.finding', '=', 'sustained')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('department_responses as r').select('r.id').whereRef('r.allegation_id', '=', 'a.id')),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.waiting) === 0;
}
