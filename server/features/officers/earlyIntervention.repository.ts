import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import { splitWindow, type SplitWindow } from './earlyIntervention.windows.js';

// Early intervention and the disparity view. Every query filters by its window on indexed columns
// (complaints.received_at, allegations.officer_id, allegations.complaint_id) and aggregates in SQL,
// so a page reads a few rows however many complaints there are.

/** The windows and the counts that trip each threshold, as instants and numbers. */
export interface FlagCriteria {
  /** The end of every window (now). */
  until: Date;
  complaintsSince: Date;
  complaintsMin: number;
  forceSince: Date;
  forceMin: number;
  /** At least one code; an empty list counts no force allegation. */
  forceCategories: string[];
  sustainedSince: Date;
  sustainedMin: number;
}

export interface FlaggedOfficerRow {
  id: string;
  badge_number: string | null;
  first_name: string;
  last_name: string;
  district: string | null;
  district_en: string | null;
  district_es: string | null;
  complaints: number;
  force: number;
  sustained: number;
  tripped: number;
}

const inList = (codes: string[]) =>
  codes.length ? sql`in (${sql.join(codes.map((c) => sql`${c}`))})` : sql`in (select null::text where false)`;

/** The SQL condition "this instant falls in the window's partial days". */
export function inPartial(column: RawBuilder<unknown>, window: SplitWindow): RawBuilder<boolean> {
  if (window.partial.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    window.partial.map((p) => sql`(${column} >= ${p.from} and ${column} ${p.inclusive ? sql`<=` : sql`<`} ${p.to})`),
    sql` or `,
  )})`;
}

/**
 * The three counts of every officer with at least one of them, as a subquery. The whole days of
 * each window come from the per-day counts the triggers keep (#18 item 1: a few thousand rows at
 * a million complaints); the partial day at each window's start from the complaints and
 * allegations themselves, which hold a day's worth of rows at most.
 */
function countsQuery(c: FlagCriteria) {
  const complaints = splitWindow(c.complaintsSince, c.until);
  const force = splitWindow(c.forceSince, c.until);
  const sustained = splitWindow(c.sustainedSince, c.until);
  const received = sql.ref('c.received_at');
  const decided = sql.ref('a.decided_at');
  return sql`
    select officer_id, sum(complaints)::int as complaints, sum(force)::int as force,
        sum(sustained)::int as sustained
      from (
        select officer_id, complaints, 0 as force, 0 as sustained
          from officer_day_complaints where day >= ${complaints.fromDay} and day < ${complaints.toDay}
        union all
        select officer_id, 0, allegations, 0
          from officer_day_categories
          where day >= ${force.fromDay} and day < ${force.toDay} and category ${inList(c.forceCategories)}
        union all
        select officer_id, 0, 0, sustained
          from officer_day_sustained where day >= ${sustained.fromDay} and day < ${sustained.toDay}
        union all
        select a.officer_id,
            count(distinct a.complaint_id) filter (where ${inPartial(received, complaints)}),
            count(*) filter (where ${inPartial(received, force)} and a.category ${inList(c.forceCategories)}),
            0
          from complaints c join allegations a on a.complaint_id = c.id
          where (${inPartial(received, complaints)} or ${inPartial(received, force)}) and a.officer_id is not null
          group by a.officer_id
        union all
        select a.officer_id, 0, 0, count(*)
          from allegations a
          where a.finding = 'sustained' and ${inPartial(decided, sustained)} and a.officer_id is not null
          group by a.officer_id
      ) parts
      group by officer_id`;
}

/**
 * One page of the officers who reach at least one threshold, most thresholds first, then most
 * complaints, force allegations, sustained findings; and how many there are in all.
 */
export async function flaggedOfficers(
  db: Executor,
  c: FlagCriteria,
  limit: number,
  offset: number,
): Promise<{ rows: FlaggedOfficerRow[]; total: number }> {
  const tripped = sql`((n.complaints >= ${c.complaintsMin})::int + (n.force >= ${c.forceMin})::int
    + (n.sustained >= ${c.sustainedMin})::int)`;
  const { rows } = await sql<FlaggedOfficerRow & { total: string }>`${sql.raw(PREPARED)}
    select o.id, o.badge_number, o.first_name, o.last_name, o.district,
        d.name_en as district_en, d.name_es as district_es,
        n.complaints, n.force, n.sustained, ${tripped}::int as tripped, count(*) over () as total
      from (${countsQuery(c)}) n
      join officers o on o.id = n.officer_id
      left join districts d on d.code = o.district
      where ${tripped} > 0
      order by tripped desc, n.complaints desc, n.force desc, n.sustained desc,
        o.last_name, o.first_name, o.id
      limit ${limit} offset ${offset}`.execute(db);
  if (rows.length === 0 && offset > 0) {
    const { rows: counted } = await sql<{ total: string }>`
      select count(*) as total from (${countsQuery(c)}) n where ${tripped} > 0`.execute(db);
    return { rows: [], total: Number(counted[0]?.total ?? 0) };
  }
  return {
    rows: rows.map(({ total: _total, ...row }) => row),
    total: Number(rows[0]?.total ?? 0),
  };
}

export interface FlaggedCaseRow {
  officer_id: string;
  complaint_id: string;
  tracking_number: string;
  received_at: Date;
  category: string;
  category_en: string;
  category_es: string;
  finding: string | null;
  decided_at: Date | null;
}

/** UTC day of an instant, as the allegations' received_on holds it. */
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * "The allegation's complaint was received in [since, until]", on the allegation's own received
 * day (the index) and, on the two edge days only, on the complaint's exact time.
 */
function receivedIn(since: Date, until: Date) {
  const [first, last] = [utcDay(since), utcDay(until)];
  // A scalar subquery, looked up by id for the edge days' rows (an EXISTS was hashed over every complaint).
  const exact = sql`(select x.received_at from complaints x where x.id = a.complaint_id) between ${since} and ${until}`;
  return sql`((a.received_on > ${first} and a.received_on < ${last})
    or (a.received_on in (${first}, ${last}) and ${exact}))`;
}

/**
 * The allegations behind the counts of these officers: on complaints received in the complaints
 * window, of a force category on complaints received in the force window, or sustained and decided
 * in the sustained window. Newest complaint first, at most `perOfficer` for each officer, found per
 * officer on the index of their allegations by day received (#18: a few rows, whatever the size;
 * ask for one more than shown to know whether there are more, never for how many: at a million
 * complaints an officer can have thousands in a window).
 */
export async function flaggedCases(
  db: Executor,
  officerIds: string[],
  c: FlagCriteria,
  perOfficer: number,
): Promise<FlaggedCaseRow[]> {
  if (officerIds.length === 0) return [];
  const behind = sql`(${receivedIn(c.complaintsSince, c.until)}
    or (a.category ${inList(c.forceCategories)} and ${receivedIn(c.forceSince, c.until)})
    or (a.finding = 'sustained' and a.decided_at >= ${c.sustainedSince} and a.decided_at <= ${c.until}))`;
  // Not prepared: a generic plan, blind to the officers and the days, took 15 times longer.
  const { rows } = await sql<FlaggedCaseRow>`
    select o.officer_id, x.complaint_id, x.tracking_number, x.received_at, x.category, x.category_en,
        x.category_es, x.finding, x.decided_at
      from unnest(${officerIds}::uuid[]) as o(officer_id)
      -- The day of the newest perOfficer-th allegation: only days from it on can hold the newest ones.
      cross join lateral (
        select min(received_on) as day from (
          select a.received_on from allegations a where a.officer_id = o.officer_id and ${behind}
           order by a.received_on desc limit ${perOfficer}) newest) edge
      cross join lateral (
        select c.id as complaint_id, c.tracking_number, c.received_at, a.category, k.name_en as category_en,
            k.name_es as category_es, a.finding, a.decided_at
          -- The officer's allegations from that day, each looking up its complaint by id ("limit 1"
          -- keeps it a lookup: as a join, the planner walked every complaint newest first instead,
          -- seconds on a busy day).
          from allegations a
          cross join lateral (select id, tracking_number, received_at from complaints where id = a.complaint_id limit 1) c
          join allegation_categories k on k.code = a.category
         where a.officer_id = o.officer_id and a.received_on >= edge.day and ${behind}
         order by c.received_at desc, c.tracking_number, a.created_at, a.id
         limit ${perOfficer}) x
     order by o.officer_id, x.received_at desc, x.tracking_number`.execute(db);
  return rows;
}
