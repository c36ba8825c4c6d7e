import { sql, type Kysely } from 'kysely';

// Early intervention sums a window of the per-day officer counts (#18 item 1). The force count
// wants a few categories out of every category's days: an index by category and day, holding the
// officer and the count, reads only those rows and never the table; the complaints' days likewise.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  await sql`drop index officer_day_categories_day`.execute(db);
  await sql`create index officer_day_categories_category_day on officer_day_categories (category, day)
              include (officer_id, allegations)`.execute(db);
  await sql`drop index officer_day_complaints_day`.execute(db);
  await sql`create index officer_day_complaints_day on officer_day_complaints (day) include (officer_id, complaints)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index officer_day_categories_category_day`.execute(db);
  await sql`create index officer_day_categories_day on officer_day_categories (day)`.execute(db);
  await sql`drop index officer_day_complaints_day`.execute(db);
  await sql`create index officer_day_complaints_day on officer_day_complaints (day)`.execute(db);
}
