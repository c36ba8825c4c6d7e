import { sql, type Kysely } from 'kysely';

// Agency scale (#18 item 4): the public statistics refreshed from what changed, not rebuilt from
// every case. Triggers note each complaint whose published figures may have changed (a filing, a
// transition, a finding, a closed clock, an answered survey, a purge) in `stats_changes`; the
// refresh recomputes those complaints' inputs (`stats_snapshots`, one row each), subtracts what
// their previous inputs contributed and adds what the new ones do, to the rollups, to the open
// data's cells (`open_data_cells`: allegations and distinct complaints per combination, from which
// the generalised rows are derived a combination group at a time) and to the disparity days.
// `open_data_rows` becomes one row per published combination with its number of rows (`n`),
// ordered by `sort_key` for keyset paging. Frozen in time.

/** Statement triggers (inserts, deletes) and row triggers with a condition (updates) that note complaints. */
const WATCHED: Array<{ table: string; id: string; update: string; only?: string }> = [
  {
    table: 'complaints',
    id: 'id',
    update: `(old.received_at, old.district, old.closed_at, old.stage) is distinct from
             (new.received_at, new.district, new.closed_at, new.stage)`,
  },
  {
    table: 'allegations',
    id: 'complaint_id',
    update: `(old.complaint_id, old.category, old.finding) is distinct from (new.complaint_id, new.category, new.finding)`,
  },
  {
    table: 'complainants',
    id: 'complaint_id',
    update: `(old.complaint_id, old.role, old.demographics) is distinct from (new.complaint_id, new.role, new.demographics)`,
  },
  {
    table: 'deadlines',
    id: 'complaint_id',
    only: `kind = 'investigation' and completed_at is not null`,
    // Only completed investigation clocks count: a running clock's warning or breach (the sweep) is no change.
    update: `(new.kind = 'investigation' or old.kind = 'investigation') and
             (old.completed_at is not null or new.completed_at is not null) and
             (old.complaint_id, old.completed_at, old.status, old.kind) is distinct from
             (new.complaint_id, new.completed_at, new.status, new.kind)`,
  },
  {
    table: 'surveys',
    id: 'complaint_id',
    only: `answered_at is not null`,
    update: `(old.complaint_id, old.answered_at, old.respect, old.understood, old.informed, old.explained, old.trust)
             is distinct from
             (new.complaint_id, new.answered_at, new.respect, new.understood, new.informed, new.explained, new.trust)`,
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  // No foreign key: a purged complaint's figures must still be taken away.
  await sql`create table stats_changes (id bigserial primary key, complaint_id uuid not null)`.execute(db);
  await sql`create table stats_snapshots (
      complaint_id uuid primary key,
      received_month date not null,
      received_day date not null,
      district text not null,
      stage text not null,
      closed_month date,
      closed_days int,
      days_band text not null,
      categories text[] not null,
      findings text[] not null,
      decided boolean not null,
      sustained boolean not null,
      age_range text not null,
      gender text not null,
      races text[] not null,
      clocks text[] not null,
      surveys text[] not null
    )`.execute(db);
  await sql`create table open_data_cells (
      month text not null, category text not null, finding text not null, stage text not null,
      district text not null, days_band text not null,
      rows int not null check (rows >= 0), complaints int not null check (complaints >= 0),
      primary key (month, category, finding, stage, district, days_band)
    )`.execute(db);
  await sql`drop table open_data_rows`.execute(db);
  await sql`create table open_data_rows (
      month text not null, category text not null, district text not null, finding text not null,
      days_to_close text not null, stage text not null,
      n int not null default 1 check (n > 0),
      grp text not null default '',
      sort_key text collate "C" generated always as (
        month || chr(31) || category || chr(31) || district || chr(31) || finding || chr(31) ||
        days_to_close || chr(31) || stage || chr(31) || grp) stored primary key
    )`.execute(db);
  await sql`create index open_data_rows_grp on open_data_rows (grp)`.execute(db);

  for (const { table, id, update, only } of WATCHED) {
    const where = only ? `where ${only}` : '';
    for (const [event, rows] of [
      ['insert', 'new'],
      ['delete', 'old'],
    ] as const) {
      const name = `${table}_stats_${event}`;
      await sql
        .raw(
          `create function ${name}() returns trigger language plpgsql as $$
            begin insert into stats_changes (complaint_id) select ${id} from ${rows}_rows ${where}; return null; end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${name} after ${event} on ${table} referencing ${rows} table as ${rows}_rows
             for each statement execute function ${name}()`,
        )
        .execute(db);
    }
    const name = `${table}_stats_update`;
    await sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$
          begin
            insert into stats_changes (complaint_id) values (new.${id});
            if old.${id} is distinct from new.${id} then
              insert into stats_changes (complaint_id) values (old.${id});
            end if;
            return null;
          end $$`,
      )
      .execute(db);
    await sql
      .raw(`create trigger ${name} after update on ${table} for each row when (${update}) execute function ${name}()`)
      .execute(db);
  }

  // Everything is new to the refresh: its first run recomputes every complaint, and until then the
  // disparity view counts the complaints one by one.
  await sql`truncate disparity_days`.execute(db);
  await sql`delete from settings where key = 'disparity.kept_until'`.execute(db);
  await sql`insert into stats_changes (complaint_id) select id from complaints`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of WATCHED) {
    for (const event of ['insert', 'delete', 'update']) {
      await sql.raw(`drop trigger ${table}_stats_${event} on ${table}`).execute(db);
      await sql.raw(`drop function ${table}_stats_${event}()`).execute(db);
    }
  }
  await sql`drop table open_data_rows`.execute(db);
  await sql`create table open_data_rows (row_no bigint primary key, month text not null, category text not null,
              district text not null, finding text not null, days_to_close text not null, stage text not null)`.execute(
    db,
  );
  await sql`drop table open_data_cells`.execute(db);
  await sql`drop table stats_snapshots`.execute(db);
  await sql`drop table stats_changes`.execute(db);
  await sql`delete from settings where key in ('statistics.refreshed_at', 'statistics.time_zone')`.execute(db);
}
