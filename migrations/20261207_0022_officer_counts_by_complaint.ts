import { sql, type Kysely } from 'kysely';
import { NONE, apply } from './20261207_0016_officer_counts.js';

// Agency scale (#18): the officer counts' triggers, as 0016 wrote them, joined the statement's
// changed rows to themselves and, per changed (officer, complaint) pair, counted the complaint's
// allegations naming the officer through whichever index the planner liked. The planner takes a
// transition table for one row, so a bulk load (a new database's first 20,000 complaints) ran
// both as nested loops over every changed row: 29 s where 3 ms would do. Here each pair's
// changes are counted in one grouping, with no join, and its allegations are counted within the
// complaint, so only the complaint's index applies, whatever the statistics say. Frozen in time.

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

const FUNCTIONS = [
  ['officer_counts_inserted', 'new_rows', NONE],
  ['officer_counts_deleted', NONE, 'old_rows'],
  ['officer_counts_updated', 'new_rows', 'old_rows'],
] as const;

async function define(db: Kysely<any>, complaints?: typeof complaintsPerDay): Promise<void> {
  for (const [name, ins, del] of FUNCTIONS) {
    await sql`create or replace function ${sql.id(name)}() returns trigger language plpgsql
                as $$${apply(ins, del, complaints)}$$`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await define(db, complaintsPerDay);
}

export async function down(db: Kysely<any>): Promise<void> {
  await define(db);
}
