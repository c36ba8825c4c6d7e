import { sql, type Kysely } from 'kysely';

// The queue's "overdue" filter is "breached, or next due before now" (#18): the second is a range
// on the queue's indexes; this small partial index serves the first, so the two combine (a bitmap
// OR) and counting the overdue cases of a district reads only those cases.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  // Built over every complaint: no statement timeout for this migration's transaction.
  await sql`set local statement_timeout = 0`.execute(db);
  await sql`create index complaints_breached_open on complaints (district, next_due_at)
              where clock_breached and stage <> 'closed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_breached_open').execute();
}
