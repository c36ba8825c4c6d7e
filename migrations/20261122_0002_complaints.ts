import { sql, type Kysely } from 'kysely';

// Complaints, the people who filed them (kept apart), officers and allegations, and the reference
// lists an agency configures. Frozen in time: never import application code here.

const STAGES = sql`stage in ('intake', 'mediation', 'investigation', 'boardReview', 'disposition', 'closed')`;
const FINDINGS = sql`('sustained', 'not_sustained', 'exonerated', 'unfounded', 'policy_failure',
  'officer_unidentified', 'mediated', 'withdrawn')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('districts')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z0-9-]{1,40}$'`))
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_es', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable('allegation_categories')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z0-9_]{1,40}$'`))
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_es', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable('complaints')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
    .addColumn('access_code_hash', 'text', (c) => c.notNull())
    .addColumn('submission_token', 'text', (c) => c.unique())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('machine_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stage', 'text', (c) => c.notNull().check(STAGES))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'es')`))
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('web', 'api', 'phone', 'email', 'mail', 'walk_in')`),
    )
    .addColumn('anonymous', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('on_behalf', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('narrative', 'text', (c) => c.notNull().check(sql`length(narrative) <= 20000`))
    .addColumn('incident_date', 'date')
    .addColumn('incident_time', 'text', (c) => c.check(sql`length(incident_time) <= 40`))
    .addColumn('incident_location', 'text', (c) => c.check(sql`length(incident_location) <= 500`))
    .addColumn('district', 'text', (c) => c.references('districts.code'))
    .addColumn('discovered_on', 'date')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('stage_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome in ('referred', 'dismissed', 'mediated', 'withdrawn', 'decided')`),
    )
    .addColumn('legal_hold', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('complaints_stage').on('complaints').columns(['stage', 'received_at']).execute();
  await db.schema.createIndex('complaints_received_at').on('complaints').column('received_at').execute();
  await db.schema.createIndex('complaints_district').on('complaints').column('district').execute();

  // Identity lives apart from the complaint, so it can be redacted and retained on its own terms.
  // Anonymous complaints have no row here at all (R15).
  await db.schema
    .createTable('complainants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('complainant', 'filer')`))
    .addColumn('name', 'text', (c) => c.check(sql`length(name) <= 200`))
    .addColumn('email', 'text', (c) => c.check(sql`length(email) <= 254`))
    .addColumn('phone', 'text', (c) => c.check(sql`length(phone) <= 40`))
    .addColumn('address', 'text', (c) => c.check(sql`length(address) <= 500`))
    .addColumn('preferred_language', 'text', (c) =>
      c
        .notNull()
        .defaultTo('en')
        .check(sql`preferred_language in ('en', 'es')`),
    )
    .addColumn('preferred_contact', 'text', (c) =>
      c.check(sql`preferred_contact in ('email', 'phone', 'mail', 'none')`),
    )
    .addColumn('relationship', 'text', (c) => c.check(sql`length(relationship) <= 200`))
    .addColumn('demographics', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('complainants_one_per_role', ['complaint_id', 'role'])
    .execute();

  await db.schema
    .createTable('officers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('badge_number', 'text', (c) => c.unique().check(sql`length(badge_number) <= 40`))
    .addColumn('first_name', 'text', (c) => c.notNull().check(sql`length(first_name) <= 100`))
    .addColumn('last_name', 'text', (c) => c.notNull().check(sql`length(last_name) <= 100`))
    .addColumn('rank', 'text', (c) => c.check(sql`length(rank) <= 100`))
    .addColumn('unit', 'text', (c) => c.check(sql`length(unit) <= 100`))
    .addColumn('district', 'text', (c) => c.references('districts.code'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('officers_name').on('officers').columns(['last_name', 'first_name']).execute();

  await db.schema
    .createTable('allegations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('officer_id', 'uuid', (c) => c.references('officers.id'))
    .addColumn('officer_description', 'text', (c) => c.check(sql`length(officer_description) <= 1000`))
    .addColumn('category', 'text', (c) => c.notNull().references('allegation_categories.code'))
    .addColumn('summary', 'text', (c) => c.check(sql`length(summary) <= 5000`))
    .addColumn('finding', 'text', (c) => c.check(sql`finding in ${FINDINGS}`))
    .addColumn('finding_rationale', 'text', (c) => c.check(sql`length(finding_rationale) <= 20000`))
    .addColumn('draft_finding', 'text', (c) => c.check(sql`draft_finding in ${FINDINGS}`))
    .addColumn('draft_rationale', 'text', (c) => c.check(sql`length(draft_rationale) <= 20000`))
    .addColumn('discipline_recommendation', 'text', (c) => c.check(sql`length(discipline_recommendation) <= 5000`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('allegations_complaint').on('allegations').column('complaint_id').execute();
  await db.schema.createIndex('allegations_officer').on('allegations').column('officer_id').execute();
  await db.schema.createIndex('allegations_category').on('allegations').column('category').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['allegations', 'officers', 'complainants', 'complaints', 'allegation_categories', 'districts']) {
    await db.schema.dropTable(table).execute();
  }
}
