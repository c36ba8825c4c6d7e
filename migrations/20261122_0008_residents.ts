import { sql, type Kysely } from 'kysely';

// What residents add when they file: drafts of the complaint form kept on the server between
// steps, the officers and witnesses they name, the public history of a case's stages, and the
// failed-lookup counters that must hold across app instances. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  // A form in progress, keyed by the hash of a secret that only the resident's browser holds.
  await db.schema
    .createTable('complaint_drafts')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('complaint_drafts_expires_at').on('complaint_drafts').column('expires_at').execute();

  // Officers as the resident described them; staff link them to the roster as allegations.
  await db.schema
    .createTable('reported_officers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.check(sql`length(name) <= 200`))
    .addColumn('badge_number', 'text', (c) => c.check(sql`length(badge_number) <= 40`))
    .addColumn('description', 'text', (c) => c.check(sql`length(description) <= 1000`))
    .execute();
  await db.schema.createIndex('reported_officers_complaint').on('reported_officers').column('complaint_id').execute();

  // Witnesses are people too: kept apart from the complaint, like complainants.
  await db.schema
    .createTable('witnesses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.check(sql`length(name) <= 200`))
    .addColumn('contact', 'text', (c) => c.check(sql`length(contact) <= 300`))
    .addColumn('description', 'text', (c) => c.check(sql`length(description) <= 2000`))
    .execute();
  await db.schema.createIndex('witnesses_complaint').on('witnesses').column('complaint_id').execute();

  // The public stages a case has reached, each with its date, for the status lookup: one row read.
  await db.schema
    .alterTable('complaints')
    .addColumn('public_history', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`update complaints set public_history = jsonb_build_array(
    jsonb_build_object('stage', 'received', 'at', received_at))`.execute(db);

  // Failed status lookups per tracking number and per client, in fixed windows.
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.primaryKey().check(sql`length(bucket) <= 200`))
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window_ends_at').on('rate_limits').column('window_ends_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.alterTable('complaints').dropColumn('public_history').execute();
  for (const table of ['witnesses', 'reported_officers', 'complaint_drafts']) {
    await db.schema.dropTable(table).execute();
  }
}
