import { sql, type Kysely, type RawBuilder } from 'kysely';

// Agency scale (#18): the officer counts' triggers, as 0016 wrote them, joined the statement's
// changed rows to themselves and, per changed (officer, complaint) pair, counted the complaint's
// allegations naming the officer through whichever index the planner liked. The planner takes a
// transition table for one row, so a bulk load (a new database's first 20,000 complaints) ran
// both as nested loops over every changed row: 29 s where 2 s do. Here each pair's changes are
// counted in one grouping, with no join, and its allegations are counted within the complaint,
// so only the complaint's index applies, whatever the statistics say. The other two counts are
// as 0016 wrote them. Frozen in time.

/** The complaints per officer and day, as this migration writes them. */
function complaintsPerDay(ins: string, del: string): string {
  return `
      -- Complaints by officer and received day: a complaint counts once per officer, however many
      -- of its allegations name them. Compare each changed pair's count before and after.
      insert into officer_day_complaints as t (officer_id, day, complaints)
      select officer_id, received_on, sum(delta)::int from (
        select p.officer_id, p.received_on, (now_n > 0)::int - ((now_n - p.added + p.removed) > 0)::int as delta
          from (select officer_id, complaint_id, min(received_on) as received_on,
                       count(*) filter (where added) as added, count(*) filter (where not added) as removed
                  from (select officer_id, complaint_id, received_on, true as added from ${ins}
                         where officer_id is not null
                        union all
                        select officer_id, complaint_id, received_on, false from ${del}
                         where officer_id is not null) u
                 group by 1, 2) p
          cross join lateral (select count(*) filter (where a.officer_id = p.officer_id) as now_n
                                from allegations a where a.complaint_id = p.complaint_id) c
      ) x group by 1, 2 having sum(delta) <> 0
      on conflict (officer_id, day) do update set complaints = t.complaints + excluded.complaints;`;
}

/** The same, as 0016 wrote them (for down). */
function complaintsPerDay0016(ins: string, del: string): string {
  return `
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
      on conflict (officer_id, day) do update set complaints = t.complaints + excluded.complaints;`;
}

/** The body of a trigger function over the statement's changed rows (`ins` and `del`). */
function apply(ins: string, del: string, complaints: (ins: string, del: string) => string): RawBuilder<unknown> {
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

${complaints(ins, del)}

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

const FUNCTIONS = [
  ['officer_counts_inserted', 'new_rows', NONE],
  ['officer_counts_deleted', NONE, 'old_rows'],
  ['officer_counts_updated', 'new_rows', 'old_rows'],
] as const;

async function define(db: Kysely<any>, complaints: (ins: string, del: string) => string): Promise<void> {
  for (const [name, ins, del] of FUNCTIONS) {
    await sql`create or replace function ${sql.id(name)}() returns trigger language plpgsql
                as $$${apply(ins, del, complaints)}$$`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await define(db, complaintsPerDay);
}

export async function down(db: Kysely<any>): Promise<void> {
  await define(db, complaintsPerDay0016);
}
