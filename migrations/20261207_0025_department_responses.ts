import { sql, type Kysely } from 'kysely';

// Closing the accountability loop (#19 part 1): the department's response to each sustained
// finding, one dated entry at a time. A later change (an appeal reduces a suspension) is a new
// entry, never an edit: updates are refused. Entries go with their case when the retention purge
// removes it. The statistics refresh (migration 0019) counts the latest entry of each sustained
// allegation and the responses overdue, so it is told of new entries and of a response clock
// breached or stopped. Frozen in time.

const DISCIPLINES = [
  'none',
  'counselling_training',
  'written_reprimand',
  'suspension',
  'demotion',
  'termination',
  'resigned_retired',
  'pending_appeal',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  await sql`create table department_responses (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null references complaints (id) on delete cascade,
      allegation_id uuid not null references allegations (id) on delete cascade,
      concurred boolean not null,
      discipline text not null check (discipline in (${sql.join(DISCIPLINES.map((d) => sql.lit(d)))})),
      suspension_days int check (suspension_days between 1 and 365),
      responded_on date not null,
      note text check (char_length(note) <= 4000),
      recorded_by uuid references users (id),
      recorded_at timestamptz not null default now(),
      check ((discipline = 'suspension') = (suspension_days is not null))
    )`.execute(db);
  await sql`create index department_responses_allegation
              on department_responses (allegation_id, responded_on desc, recorded_at desc)`.execute(db);
  await sql`create index department_responses_complaint on department_responses (complaint_id)`.execute(db);
  await sql`create index department_responses_recorded on department_responses (recorded_at desc)`.execute(db);
  // The responses awaited, soonest due first, without reading every case's clocks.
  await sql`create index deadlines_response_awaited on deadlines (due_at)
              where kind = 'department_response' and completed_at is null`.execute(db);

  await sql`create function department_responses_never_edited() returns trigger language plpgsql as $$
      begin raise exception 'a department response is never edited: record a new entry'; end $$`.execute(db);
  await sql`create trigger department_responses_never_edited before update on department_responses
              for each row execute function department_responses_never_edited()`.execute(db);

  // The statistics: a new entry, and a response clock breached or stopped, change the figures.
  await sql`create function department_responses_stats_insert() returns trigger language plpgsql as $$
      begin insert into stats_changes (complaint_id) select complaint_id from new_rows; return null; end $$`.execute(
    db,
  );
  await sql`create trigger department_responses_stats_insert after insert on department_responses
              referencing new table as new_rows for each statement
              execute function department_responses_stats_insert()`.execute(db);
  // A response clock that is overdue counts; one is noted when it is written, moved or removed.
  for (const [event, rows] of [
    ['insert', 'new'],
    ['delete', 'old'],
  ] as const) {
    await sql
      .raw(
        `create function deadlines_response_stats_${event}() returns trigger language plpgsql as $$
          begin insert into stats_changes (complaint_id) select complaint_id from ${rows}_rows
                 where kind = 'department_response'; return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger deadlines_response_stats_${event} after ${event} on deadlines
           referencing ${rows} table as ${rows}_rows for each statement
           execute function deadlines_response_stats_${event}()`,
      )
      .execute(db);
  }
  await sql`create function deadlines_response_stats_update() returns trigger language plpgsql as $$
      begin
        insert into stats_changes (complaint_id) values (new.complaint_id);
        if old.complaint_id is distinct from new.complaint_id then
          insert into stats_changes (complaint_id) values (old.complaint_id);
        end if;
        return null;
      end $$`.execute(db);
  await sql`create trigger deadlines_response_stats_update after update on deadlines for each row
              when ((new.kind = 'department_response' or old.kind = 'department_response') and
                    (old.complaint_id, old.kind, old.status, old.completed_at) is distinct from
                    (new.complaint_id, new.kind, new.status, new.completed_at))
              execute function deadlines_response_stats_update()`.execute(db);

  // Each sustained allegation's latest response ('YYYY-MM-01', category, concurred, discipline) and
  // the month each response still awaited fell due, as the refresh keeps them per complaint.
  await sql`alter table stats_snapshots
              add column responses text[] not null default '{}',
              add column responses_overdue text[] not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stats_snapshots drop column responses, drop column responses_overdue`.execute(db);
  for (const event of ['insert', 'delete', 'update']) {
    await sql.raw(`drop trigger deadlines_response_stats_${event} on deadlines`).execute(db);
    await sql.raw(`drop function deadlines_response_stats_${event}()`).execute(db);
  }
  await sql`drop index deadlines_response_awaited`.execute(db);
  await sql`drop table department_responses`.execute(db);
  await sql`drop function department_responses_stats_insert()`.execute(db);
  await sql`drop function department_responses_never_edited()`.execute(db);
}
