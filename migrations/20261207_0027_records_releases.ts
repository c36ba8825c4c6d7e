import { sql, type Kysely } from 'kysely';

// Public-records releases (#19 part 5): what staff released, when, by whom, with which parts
// included. The cases are kept as lists of ids and tracking numbers, not foreign keys: a case
// purged under the retention policy must not be held back by a release, and the release still
// says which tracking number it covered. A release is never changed or removed: UPDATE, DELETE
// and TRUNCATE are refused by triggers, as for the audit log. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('records_releases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', (c) => c.notNull().check(sql`char_length(reference) between 1 and 60`))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('case_ids', sql`uuid[]`, (c) => c.notNull().check(sql`cardinality(case_ids) between 1 and 200`))
    .addColumn('tracking_numbers', sql`text[]`, (c) =>
      c.notNull().check(sql`cardinality(tracking_numbers) = cardinality(case_ids)`),
    )
    .execute();
  await db.schema
    .createIndex('records_releases_created')
    .on('records_releases')
    .columns(['created_at', 'id'])
    .execute();
  await sql`
    create function records_releases_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'records_releases is append-only: % refused', tg_op using errcode = '42501';
    end
    $$`.execute(db);
  await sql`
    create trigger records_releases_no_update_delete before update or delete on records_releases
    for each row execute function records_releases_append_only()`.execute(db);
  await sql`
    create trigger records_releases_no_truncate before truncate on records_releases
    for each statement execute function records_releases_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('records_releases').execute();
  await sql`drop function records_releases_append_only()`.execute(db);
}
