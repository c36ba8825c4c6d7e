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

/**
 * The allegations behind the counts of these officers: on complaints received in the complaints
 * window, of a force category on complaints received in the force window, or sustained and decided
 * in the sustained window. Newest complaint first, at most `perOfficer` for each officer, read
 * newest first from the index of each officer's allegations by their complaint's received time
 * (#18: a few rows, whatever the size; ask for one more than shown to know whether there are
 * more, never for how many: at a million complaints an officer can have thousands in a window).
 */
export async function flaggedCases(
  db: Executor,
  officerIds: string[],
  c: FlagCriteria,
  perOfficer: number,
): Promise<FlaggedCaseRow[]> {
  if (officerIds.length === 0) return [];
  const receivedIn = (since: Date, until: Date) => sql`(a.received_at >= ${since} and a.received_at <= ${until})`;
  const behind = sql`(${receivedIn(c.complaintsSince, c.until)}
    or (a.category ${inList(c.forceCategories)} and ${receivedIn(c.forceSince, c.until)})
    or (a.finding = 'sustained' and a.decided_at >= ${c.sustainedSince} and a.decided_at <= ${c.until}))`;
  // Not prepared: a generic plan, blind to the officers and the windows, can take another index.
  const { rows } = await sql<FlaggedCaseRow>`
    select o.officer_id, x.complaint_id, c.tracking_number, x.received_at, x.category, k.name_en as category_en,
        k.name_es as category_es, x.finding, x.decided_at
      from unnest(${officerIds}::uuid[]) as o(officer_id)
      cross join lateral (
        select a.complaint_id, a.received_at, a.category, a.finding, a.decided_at
          from allegations a
         where a.officer_id = o.officer_id and ${behind}
         order by a.received_at desc, a.complaint_id, a.created_at, a.id
         limit ${perOfficer}) x
      join complaints c on c.id = x.complaint_id
      join allegation_categories k on k.code = x.category
     order by o.officer_id, x.received_at desc, c.tracking_number
  `.execute(db);
  return rows;
}
