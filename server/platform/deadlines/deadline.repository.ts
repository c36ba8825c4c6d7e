import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../db/executor.js';
import type { DeadlinesTable } from '../db/schema.js';

export type DeadlineRow = Selectable<DeadlinesTable>;
const RUNNING = ['open', 'warned', 'breached'] as const;

/** A new clock's row (of the case insertDeadlines is given). */
export type NewDeadline = Pick<
  Insertable<DeadlinesTable>,
  'kind' | 'starts_at' | 'due_at' | 'warn_at' | 'next_check_at'
>;

export async function runningDeadlines(trx: Executor, complaintId: string, kind?: string): Promise<DeadlineRow[]> {
  let query = trx
    .selectFrom('deadlines')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .where('status', 'in', RUNNING)
    .where('completed_at', 'is', null);
  if (kind) query = query.where('kind', '=', kind);
  return query.execute();
}

/** The facts of a case's running clocks, from rows (due_at, status, tolled_at, completed_at). */
export const FACTS = sql`min(r.due_at) filter (where r.tolled_at is null) as next_due,
  coalesce(bool_or(r.status = 'breached'), false) as breached,
  coalesce(bool_or(r.status = 'warned' and r.tolled_at is null), false) as warned,
  coalesce(bool_or(r.tolled_at is not null), false) as tolled`;

/**
 * Copies the facts of a case's running clocks onto the case (#18): the earliest due time of those
 * not tolled, and whether any is breached, warned (and not tolled) or tolled. `rows` is the case's
 * clocks as they are after the change (a change made in the same statement is not visible to it).
 */
const setFacts = (complaintId: string, rows: RawBuilder<unknown>) => sql`
  update complaints c
     set next_due_at = f.next_due, clock_breached = f.breached, clock_warned = f.warned, clock_tolled = f.tolled
    from (select ${FACTS} from (${rows}) r
           where r.status in ('open', 'warned', 'breached') and r.completed_at is null) f
   where c.id = ${complaintId}
     and (c.next_due_at is distinct from f.next_due or c.clock_breached <> f.breached
          or c.clock_warned <> f.warned or c.clock_tolled <> f.tolled)`;

const clocksOf = (complaintId: string) =>
  sql`select due_at, status, tolled_at, completed_at from deadlines where complaint_id = ${complaintId}`;

/** Recomputes the case's clock facts from its clocks (after changes made row by row). */
export async function syncCaseClocks(trx: Executor, complaintId: string): Promise<void> {
  await setFacts(complaintId, clocksOf(complaintId)).execute(trx);
}

/** Starts one case's clocks and keeps its facts, in one statement. */
export async function insertDeadlines(trx: Executor, complaintId: string, rows: NewDeadline[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (row) => sql`(${complaintId}::uuid, ${row.kind}, ${row.starts_at}::timestamptz, ${row.due_at}::timestamptz,
      ${row.warn_at}::timestamptz, ${row.next_check_at}::timestamptz)`,
  );
  await sql`
    with added as (
      insert into deadlines (complaint_id, kind, starts_at, due_at, warn_at, next_check_at)
      values ${sql.join(values)}
      returning due_at
    )
    ${setFacts(
      complaintId,
      sql`${clocksOf(complaintId)}
          union all select due_at, 'open', null::timestamptz, null::timestamptz from added`,
    )}`.execute(trx);
}

/**
 * Stops the running clocks of a kind at `at` and keeps the case's facts, in one statement. Each is
 * met, or breached if it already was or was judged late: a tolled clock is judged when it stopped.
 */
export async function stopDeadlines(trx: Executor, complaintId: string, kind: string, at: Date): Promise<void> {
  await sql`
    with stopped as (
      update deadlines
         set status = case when status = 'breached' or coalesce(tolled_at, ${at}::timestamptz) >= due_at
                           then 'breached' else 'met' end,
             completed_at = ${at}, next_check_at = null
       where complaint_id = ${complaintId} and kind = ${kind}
         and status in ('open', 'warned', 'breached') and completed_at is null
      returning id
    )
    ${setFacts(complaintId, sql`${clocksOf(complaintId)} and id not in (select id from stopped)`)}`.execute(trx);
}

/** Tolls the running clocks that can be (a breach stays a breach) and keeps the case's facts, in one statement. */
export async function pauseDeadlines(trx: Executor, complaintId: string, at: Date, reason: string): Promise<void> {
  await sql`
    with paused as (
      update deadlines set tolled_at = ${at}, tolled_reason = ${reason}, next_check_at = null
       where complaint_id = ${complaintId} and status in ('open', 'warned') and completed_at is null
         and tolled_at is null
      returning id
    )
    ${setFacts(
      complaintId,
      sql`select d.due_at, d.status, case when p.id is null then d.tolled_at else ${at}::timestamptz end as tolled_at,
                 d.completed_at
            from deadlines d left join paused p on p.id = d.id
           where d.complaint_id = ${complaintId}`,
    )}`.execute(trx);
}

/** The same for every case at once, after clocks were written in bulk (the bench's seeder). */
export async function syncAllCaseClocks(db: Executor): Promise<void> {
  await sql`
    update complaints c
       set next_due_at = f.next_due, clock_breached = f.breached, clock_warned = f.warned, clock_tolled = f.tolled
      from (select k.id, ${FACTS}
              from complaints k
              left join deadlines r on r.complaint_id = k.id and r.status in ('open', 'warned', 'breached')
                                   and r.completed_at is null
             group by k.id) f
     where c.id = f.id`.execute(db);
}

export async function updateDeadline(
  trx: Executor,
  id: string,
  changes: Partial<
    Pick<
      DeadlineRow,
      'status' | 'due_at' | 'warn_at' | 'tolled_at' | 'tolled_reason' | 'next_check_at' | 'completed_at'
    >
  >,
): Promise<void> {
  await trx.updateTable('deadlines').set(changes).where('id', '=', id).execute();
}

export async function policyOverrides(db: Executor) {
  return db.selectFrom('deadline_policies').selectAll().execute();
}

/**
 * A kind's stored policy, locked until commit. A kind without a row yet has nothing to lock, so
 * two first changes are serialised by a lock on the kind's name instead.
 */
export async function policyRowForUpdate(trx: Executor, kind: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`deadline_policy:${kind}`}))`.execute(trx);
  return trx.selectFrom('deadline_policies').selectAll().where('kind', '=', kind).forUpdate().executeTakeFirst();
}

/** Stores an admin's policy for a kind; clocks started from now on use it, running ones keep their dates. */
export async function savePolicy(
  trx: Executor,
  row: {
    kind: string;
    amount: number;
    unit: 'business_days' | 'calendar_days' | 'months';
    warn_before_days: number;
    statutory: boolean;
    updated_at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('deadline_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('kind').doUpdateSet({
        amount: row.amount,
        unit: row.unit,
        warn_before_days: row.warn_before_days,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
