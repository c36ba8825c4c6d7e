import { sql, type Kysely } from 'kysely';

// What the board decided, kept as decided: the finding of each allegation on an agenda item with
// its tally, so the minutes and letters do not depend on settings changed later. An agenda item
// whose votes tied under a "carry over" tie rule ends undecided. Frozen in time.

const FINDINGS = sql`('sustained', 'not_sustained', 'exonerated', 'unfounded', 'policy_failure',
  'officer_unidentified', 'mediated', 'withdrawn')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agenda_items').dropConstraint('agenda_items_outcome_check').execute();
  await db.schema
    .alterTable('agenda_items')
    .addCheckConstraint(
      'agenda_items_outcome_check',
      sql`outcome in ('decided', 'no_quorum', 'undecided', 'returned', 'withdrawn')`,
    )
    .execute();
  await db.schema.alterTable('agenda_items').addColumn('decided_at', 'timestamptz').execute();
  await db.schema
    .createIndex('agenda_items_public_reference')
    .on('agenda_items')
    .column('public_reference')
    .unique()
    .execute();
  await db.schema.createIndex('agenda_items_meeting').on('agenda_items').columns(['meeting_id', 'position']).execute();

  await db.schema
    .createTable('board_findings')
    .addColumn('agenda_item_id', 'uuid', (c) => c.notNull().references('agenda_items.id').onDelete('cascade'))
    .addColumn('allegation_id', 'uuid', (c) => c.notNull().references('allegations.id').onDelete('cascade'))
    .addColumn('finding', 'text', (c) => c.check(sql`finding in ${FINDINGS}`))
    .addColumn('votes_cast', 'integer', (c) => c.notNull().check(sql`votes_cast >= 0`))
    .addColumn('votes_for', 'integer', (c) => c.notNull().check(sql`votes_for >= 0 and votes_for <= votes_cast`))
    .addColumn('by_tie_rule', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('board_findings_pk', ['agenda_item_id', 'allegation_id'])
    .execute();
  await db.schema.createIndex('board_findings_allegation').on('board_findings').column('allegation_id').execute();
  await db.schema.createIndex('votes_member').on('votes').column('member_id').execute();
  await db.schema.createIndex('recusals_member').on('recusals').column('member_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('recusals_member').execute();
  await db.schema.dropIndex('votes_member').execute();
  await db.schema.dropTable('board_findings').execute();
  await db.schema.dropIndex('agenda_items_meeting').execute();
  await db.schema.dropIndex('agenda_items_public_reference').execute();
  await db.schema.alterTable('agenda_items').dropColumn('decided_at').execute();
  await sql`update agenda_items set outcome = 'no_quorum' where outcome = 'undecided'`.execute(db);
  await db.schema.alterTable('agenda_items').dropConstraint('agenda_items_outcome_check').execute();
  await db.schema
    .alterTable('agenda_items')
    .addCheckConstraint('agenda_items_outcome_check', sql`outcome in ('decided', 'no_quorum', 'returned', 'withdrawn')`)
    .execute();
}
