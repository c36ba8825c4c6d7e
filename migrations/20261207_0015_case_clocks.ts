import { sql, type Kysely } from 'kysely';

// Agency scale (#18 item 1): each case carries the facts of its running clocks, kept in the same
// transaction as the clocks themselves, so the queue sorts and filters on indexed columns of one
// table instead of aggregating every open case's deadlines per request. Overdue and due soon are
// still derived at query time from next_due_at, so they never go stale between sweeps.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  // The backfill reads every clock: no statement timeout for this migration's transaction.
  await sql`set local statement_timeout = 0`.execute(db);
  await db.schema
    .alterTable('complaints')
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('clock_breached', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('clock_warned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('clock_tolled', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`
    update complaints c
       set next_due_at = d.next_due, clock_breached = d.breached, clock_warned = d.warned, clock_tolled = d.tolled
      from (select complaint_id,
                   min(due_at) filter (where tolled_at is null) as next_due,
                   bool_or(status = 'breached') as breached,
                   bool_or(status = 'warned' and tolled_at is null) as warned,
                   bool_or(tolled_at is not null) as tolled
              from deadlines
             where status in ('open', 'warned', 'breached') and completed_at is null
             group by complaint_id) d
     where d.complaint_id = c.id`.execute(db);
  // The queue's order (next due first, none last, then the oldest received), open cases and all.
  await sql`create index complaints_queue_open on complaints (next_due_at asc nulls last, received_at, id)
              where stage <> 'closed'`.execute(db);
  await sql`create index complaints_queue_all on complaints (next_due_at asc nulls last, received_at, id)`.execute(db);
  // Intake's new cases, the oldest received first.
  await sql`create index complaints_untriaged on complaints (received_at, id)
              where state = 'intake.received'`.execute(db);
  await sql`create index complaints_district_queue on complaints (district, next_due_at asc nulls last, received_at, id)
              where stage <> 'closed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'complaints_queue_open',
    'complaints_queue_all',
    'complaints_untriaged',
    'complaints_district_queue',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema
    .alterTable('complaints')
    .dropColumn('next_due_at')
    .dropColumn('clock_breached')
    .dropColumn('clock_warned')
    .dropColumn('clock_tolled')
    .execute();
}
