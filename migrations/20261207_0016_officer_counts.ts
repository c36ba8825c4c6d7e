import { sql, type Kysely, type RawBuilder } from 'kysely';

// Agency scale (#18 item 1): early intervention counts, per officer, the complaints received, the
// allegations by category and the sustained findings in rolling windows. At a million complaints
// aggregating them on every view took seconds; these per-day counts are kept by statement triggers
// on allegations, whatever writes them (a filing, a staff edit, a board decision, a purge's
// cascade, a bulk load), so a view sums a few thousand rows. Days are UTC calendar days; the
// partial days at a window's ends are counted from the allegations themselves.
// Frozen in time.

/** The body of a trigger function over the statement's changed rows (`ins` and `del`). */
function apply(ins: string, del: string): RawBuilder<unknown> {
  return sql.raw(`
    begin
      -- Allegations by officer, received day and category.
      insert into officer_day_categories as t (officer_id, day, category, allegations)
      select officer_id, received_on, category, sum(n)::int from (
        select officer_id, received_on, category, 1 as n from ${ins} where officer_id is not null
        union all
        select officer_id, received_on, category, -1 from ${del} where officer_id is not null
      ) x group by 1, 2, 3 having sum(n) <> 0
      on conflict (officer_id, day, category) do update set allegations = t.allegations + excluded.allegations;

      -- Complaints by officer and received day: a complaint counts once per officer, however many
      -- of its allegations name them. Compare each changed pair's count before and after.
      insert into officer_day_complaints as t (officer_id, day, complaints)
      select officer_id, received_on, sum(delta)::int from (
        select p.officer_id, p.received_on,
               (now_n > 0)::int - ((now_n - coalesce(i.n, 0) + coalesce(d.n, 0)) > 0)::int as delta
          from (select officer_id, complaint_id, min(received_on) as received_on from (
                  select officer_id, complaint_id, received_on from ${ins} where officer_id is not null
                  union all
                  select officer_id, complaint_id, received_on from ${del} where officer_id is not null
                ) u group by 1, 2) p
          cross join lateral (select count(*) as now_n from allegations a
                               where a.complaint_id = p.complaint_id and a.officer_id = p.officer_id) c
          left join (select officer_id, complaint_id, count(*) as n from ${ins} group by 1, 2) i
            on i.officer_id = p.officer_id and i.complaint_id = p.complaint_id
          left join (select officer_id, complaint_id, count(*) as n from ${del} group by 1, 2) d
            on d.officer_id = p.officer_id and d.complaint_id = p.complaint_id
      ) x group by 1, 2 having sum(delta) <> 0
      on conflict (officer_id, day) do update set complaints = t.complaints + excluded.complaints;

      -- Sustained findings by officer and the day they were decided.
      insert into officer_day_sustained as t (officer_id, day, sustained)
      select officer_id, day, sum(n)::int from (
        select officer_id, (decided_at at time zone 'UTC')::date as day, 1 as n from ${ins}
         where officer_id is not null and finding = 'sustained' and decided_at is not null
        union all
        select officer_id, (decided_at at time zone 'UTC')::date, -1 from ${del}
         where officer_id is not null and finding = 'sustained' and decided_at is not null
      ) x group by 1, 2 having sum(n) <> 0
      on conflict (officer_id, day) do update set sustained = t.sustained + excluded.sustained;
      return null;
    end`);
}

const NONE = '(select * from allegations where false) as no_rows';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  // The complaint's received day on each allegation: the counts need it when the complaint is gone (a purge).
  await sql`alter table allegations add column received_on date`.execute(db);
  await sql`update allegations a set received_on = (c.received_at at time zone 'UTC')::date
              from complaints c where c.id = a.complaint_id`.execute(db);
  await sql`create function allegations_received_on() returns trigger language plpgsql as $$
    begin
      select (received_at at time zone 'UTC')::date into new.received_on from complaints where id = new.complaint_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger allegations_received_on before insert on allegations
              for each row execute function allegations_received_on()`.execute(db);

  await sql`create table officer_day_categories (officer_id uuid not null, day date not null, category text not null,
              allegations int not null, primary key (officer_id, day, category))`.execute(db);
  await sql`create table officer_day_complaints (officer_id uuid not null, day date not null, complaints int not null,
              primary key (officer_id, day))`.execute(db);
  await sql`create table officer_day_sustained (officer_id uuid not null, day date not null, sustained int not null,
              primary key (officer_id, day))`.execute(db);
  for (const table of ['officer_day_categories', 'officer_day_complaints', 'officer_day_sustained']) {
    await sql`create index ${sql.id(`${table}_day`)} on ${sql.id(table)} (day)`.execute(db);
  }

  await sql`create function officer_counts_inserted() returns trigger language plpgsql as $$${apply('new_rows', NONE)}$$`.execute(
    db,
  );
  await sql`create function officer_counts_deleted() returns trigger language plpgsql as $$${apply(NONE, 'old_rows')}$$`.execute(
    db,
  );
  await sql`create function officer_counts_updated() returns trigger language plpgsql as $$${apply('new_rows', 'old_rows')}$$`.execute(
    db,
  );
  await sql`create trigger officer_counts_inserted after insert on allegations referencing new table as new_rows
              for each statement execute function officer_counts_inserted()`.execute(db);
  await sql`create trigger officer_counts_deleted after delete on allegations referencing old table as old_rows
              for each statement execute function officer_counts_deleted()`.execute(db);
  await sql`create trigger officer_counts_updated after update on allegations
              referencing old table as old_rows new table as new_rows
              for each statement execute function officer_counts_updated()`.execute(db);

  // The disparity view's complaints by day received (agency time zone), answer, decided and
  // sustained: rebuilt by the statistics refresh.
  await sql`create table disparity_days (day date not null, dimension text not null, value text not null,
              complaints int not null, decided int not null, sustained int not null,
              primary key (day, dimension, value))`.execute(db);

  // What is there already.
  await sql`insert into officer_day_categories (officer_id, day, category, allegations)
              select officer_id, received_on, category, count(*)::int from allegations
               where officer_id is not null group by 1, 2, 3`.execute(db);
  await sql`insert into officer_day_complaints (officer_id, day, complaints)
              select officer_id, received_on, count(distinct complaint_id)::int from allegations
               where officer_id is not null group by 1, 2`.execute(db);
  await sql`insert into officer_day_sustained (officer_id, day, sustained)
              select officer_id, (decided_at at time zone 'UTC')::date, count(*)::int from allegations
               where officer_id is not null and finding = 'sustained' and decided_at is not null
               group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of [
    'officer_counts_inserted',
    'officer_counts_deleted',
    'officer_counts_updated',
    'allegations_received_on',
  ]) {
    await sql`drop trigger ${sql.id(trigger)} on allegations`.execute(db);
  }
  for (const fn of [
    'officer_counts_inserted',
    'officer_counts_deleted',
    'officer_counts_updated',
    'allegations_received_on',
  ]) {
    await sql`drop function ${sql.id(fn)}()`.execute(db);
  }
  for (const table of ['officer_day_categories', 'officer_day_complaints', 'officer_day_sustained']) {
    await sql`drop table ${sql.id(table)}`.execute(db);
  }
  await sql`drop table disparity_days`.execute(db);
  await sql`alter table allegations drop column received_on`.execute(db);
}
