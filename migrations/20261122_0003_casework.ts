import { sql, type Kysely } from 'kysely';

// Investigation work: assignments, notes, evidence and deadlines. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  // One current investigator per case; the history stays.
  await db.schema
    .createIndex('assignments_one_current')
    .on('assignments')
    .column('complaint_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('assignments_assignee')
    .on('assignments')
    .column('user_id')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('notes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('note')
        .check(sql`kind in ('note', 'interview', 'complainant_update')`),
    )
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) <= 20000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notes_complaint').on('notes').columns(['complaint_id', 'created_at']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('complainant', 'staff')`))
    .addColumn('stored_name', 'text', (c) => c.notNull().unique())
    .addColumn('viewing_name', 'text')
    .addColumn('original_name', 'text', (c) => c.notNull().check(sql`length(original_name) <= 255`))
    .addColumn('sniffed_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('attachments_complaint').on('attachments').column('complaint_id').execute();

  await db.schema
    .createTable('deadline_policies')
    .addColumn('kind', 'text', (c) => c.primaryKey().check(sql`kind ~ '^[a-z_]{1,40}$'`))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit in ('business_days', 'calendar_days', 'months')`))
    .addColumn('warn_before_days', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`warn_before_days >= 0`),
    )
    .addColumn('statutory', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('holidays')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) <= 200`))
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('admin')
        .check(sql`source in ('admin', 'calendar')`),
    )
    .execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('warn_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'warned', 'breached', 'met', 'cancelled')`),
    )
    .addColumn('tolled_at', 'timestamptz')
    .addColumn('tolled_reason', 'text')
    // When the sweeper must next look at this row (the warning, then the due time); null when done
    // or while tolled. The sweeper reads only rows whose next_check_at has passed.
    .addColumn('next_check_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('deadlines_next_check')
    .on('deadlines')
    .column('next_check_at')
    .where(sql.ref('next_check_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('deadlines_open_due')
    .on('deadlines')
    .column('due_at')
    .where(sql.ref('status'), 'in', ['open', 'warned', 'breached'])
    .execute();
  await db.schema.createIndex('deadlines_complaint').on('deadlines').column('complaint_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['deadlines', 'holidays', 'deadline_policies', 'attachments', 'notes', 'assignments']) {
    await db.schema.dropTable(table).execute();
  }
}
