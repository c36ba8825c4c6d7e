import { sql, type Kysely } from 'kysely';

// What the public sees, kept apart from the cases: monthly counts per measure (the dashboard and
// the annual report read these, never the cases themselves) and the open-data file's rows, already
// de-identified and generalised. Both are rebuilt by the statistics refresh. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_rollup')
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull().check(sql`length(measure) <= 40`))
    .addColumn('key', 'text', (c) => c.notNull().check(sql`length(key) <= 60`))
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 0`))
    .addPrimaryKeyConstraint('stats_rollup_pk', ['month', 'measure', 'key'])
    .execute();
  await db.schema.createIndex('stats_rollup_measure').on('stats_rollup').columns(['measure', 'month']).execute();

  await db.schema
    .createTable('open_data_rows')
    .addColumn('row_no', 'bigint', (c) => c.primaryKey())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('days_to_close', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .execute();

  // Surveys are looked up by their case when it closes, and counted by the month they were answered.
  await db.schema.createIndex('surveys_answered_at').on('surveys').column('answered_at').execute();
  await db.schema.createIndex('allegations_finding').on('allegations').columns(['finding', 'decided_at']).execute();
  await db.schema.createIndex('complaints_closed_at').on('complaints').column('closed_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_closed_at').execute();
  await db.schema.dropIndex('allegations_finding').execute();
  await db.schema.dropIndex('surveys_answered_at').execute();
  await db.schema.dropTable('open_data_rows').execute();
  await db.schema.dropTable('stats_rollup').execute();
}
