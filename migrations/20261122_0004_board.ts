import { sql, type Kysely } from 'kysely';

// The civilian board: meetings, agendas, votes per allegation and recusals. Frozen in time.

const FINDINGS = sql`('sustained', 'not_sustained', 'exonerated', 'unfounded', 'policy_failure',
  'officer_unidentified', 'mediated', 'withdrawn')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('board_meetings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('scheduled_for', 'timestamptz', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.check(sql`length(location) <= 500`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('scheduled')
        .check(sql`status in ('scheduled', 'voting', 'closed')`),
    )
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('board_meetings_scheduled').on('board_meetings').column('scheduled_for').execute();

  await db.schema
    .createTable('agenda_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('board_meetings.id').onDelete('cascade'))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`round >= 1`),
    )
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_reference', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('decided', 'no_quorum', 'returned', 'withdrawn')`))
    .addUniqueConstraint('agenda_items_once_per_meeting', ['meeting_id', 'complaint_id'])
    .execute();
  await db.schema.createIndex('agenda_items_complaint').on('agenda_items').column('complaint_id').execute();

  await db.schema
    .createTable('votes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agenda_item_id', 'uuid', (c) => c.notNull().references('agenda_items.id').onDelete('cascade'))
    .addColumn('allegation_id', 'uuid', (c) => c.notNull().references('allegations.id').onDelete('cascade'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull().check(sql`finding in ${FINDINGS}`))
    .addColumn('rationale', 'text', (c) => c.check(sql`length(rationale) <= 10000`))
    .addColumn('discipline_recommendation', 'text', (c) => c.check(sql`length(discipline_recommendation) <= 5000`))
    .addColumn('cast_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('votes_one_per_member_per_round', ['allegation_id', 'member_id', 'round'])
    .execute();
  await db.schema.createIndex('votes_agenda_item').on('votes').column('agenda_item_id').execute();

  await db.schema
    .createTable('recusals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('complaint_id', 'uuid', (c) => c.notNull().references('complaints.id').onDelete('cascade'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(reason) between 1 and 2000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('recusals_once', ['complaint_id', 'member_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['recusals', 'votes', 'agenda_items', 'board_meetings']) {
    await db.schema.dropTable(table).execute();
  }
}
