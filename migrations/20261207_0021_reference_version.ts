import { sql, type Kysely } from 'kysely';

// Agency scale (#18 item 2): the reference data every filing and every clock reads (districts,
// allegation categories, deadline policies, holidays, the statutory clock's basis) is kept in
// memory by each instance. Whatever changes it (an admin's page, a migration, a hand-run SQL
// statement, another instance) bumps this one number in the same transaction, by trigger; an
// instance asks for the number (one small read, with the data only when it moved), so none ever
// works from a list another has changed. Frozen in time.

const TABLES = ['districts', 'allegation_categories', 'deadline_policies', 'holidays'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table reference_version (
      one boolean primary key default true check (one),
      version bigint not null default 1
    )`.execute(db);
  await sql`insert into reference_version default values`.execute(db);
  // From a sequence, never reused: a version a rolled-back change had (which a reader inside that
  // transaction may have kept) can never come to mean other data.
  await sql`create sequence reference_version_seq start 2`.execute(db);
  await sql`create function bump_reference_version() returns trigger language plpgsql as $$
      begin update reference_version set version = nextval('reference_version_seq'); return null; end $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.id(`${table}_reference_version`)}
        after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function bump_reference_version()`.execute(db);
  }
  // Of the settings, only the statutory clock's basis is reference data.
  await sql`create trigger settings_reference_version_insert after insert on settings
      for each row when (new.key = 'statutory_basis') execute function bump_reference_version()`.execute(db);
  await sql`create trigger settings_reference_version_update after update on settings
      for each row when (old.key = 'statutory_basis' or new.key = 'statutory_basis')
      execute function bump_reference_version()`.execute(db);
  await sql`create trigger settings_reference_version_delete after delete on settings
      for each row when (old.key = 'statutory_basis') execute function bump_reference_version()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`drop trigger ${sql.id(`${table}_reference_version`)} on ${sql.table(table)}`.execute(db);
  }
  for (const event of ['insert', 'update', 'delete']) {
    await sql`drop trigger ${sql.id(`settings_reference_version_${event}`)} on settings`.execute(db);
  }
  await sql`drop function bump_reference_version()`.execute(db);
  await sql`drop sequence reference_version_seq`.execute(db);
  await sql`drop table reference_version`.execute(db);
}
