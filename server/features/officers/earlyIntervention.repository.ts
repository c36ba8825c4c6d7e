import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

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

/**
 * The three counts of every officer with at least one of them, as a subquery: one pass over the
 * complaints received in the wider of the complaints and force windows, one over the sustained
 * allegations decided in their window.
 */
function countsQuery(c: FlagCriteria) {
  const since = c.complaintsSince < c.forceSince ? c.complaintsSince : c.forceSince;
  return sql`
    select officer_id, sum(complaints)::int as complaints, sum(force)::int as force,
        sum(sustained)::int as sustained
      from (
        select a.officer_id,
            count(distinct a.complaint_id) filter (where c.received_at >= ${c.complaintsSince}) as complaints,
            count(*) filter (where c.received_at >= ${c.forceSince} and a.category ${inList(c.forceCategories)})
              as force,
            0 as sustained
          from complaints c join allegations a on a.complaint_id = c.id
          where c.received_at >= ${since} and c.received_at <= ${c.until} and a.officer_id is not null
          group by a.officer_id
        union all
        select a.officer_id, 0, 0, count(*)
          from allegations a
          where a.finding = 'sustained' and a.decided_at >= ${c.sustainedSince} and a.decided_at <= ${c.until}
            and a.officer_id is not null
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
  const { rows } = await sql<FlaggedOfficerRow & { total: string }>`
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
  /** How many allegations of this officer are behind the counts, all told. */
  officer_total: number;
}

/**
 * The allegations behind the counts of these officers: on complaints received in the complaints
 * window, of a force category on complaints received in the force window, or sustained and decided
 * in the sustained window. Newest complaint first, at most `perOfficer` for each officer.
 */
export async function flaggedCases(
  db: Executor,
  officerIds: string[],
  c: FlagCriteria,
  perOfficer: number,
): Promise<FlaggedCaseRow[]> {
  if (officerIds.length === 0) return [];
  const { rows } = await sql<FlaggedCaseRow & { n: string; officer_total: string }>`
    select * from (
      select a.officer_id, c.id as complaint_id, c.tracking_number, c.received_at, a.category,
          k.name_en as category_en, k.name_es as category_es, a.finding, a.decided_at,
          row_number() over (partition by a.officer_id
            order by c.received_at desc, c.tracking_number, a.created_at, a.id) as n,
          count(*) over (partition by a.officer_id) as officer_total
        from allegations a
        join complaints c on c.id = a.complaint_id
        join allegation_categories k on k.code = a.category
        where a.officer_id in (${sql.join(officerIds)})
          and (
            (c.received_at >= ${c.complaintsSince} and c.received_at <= ${c.until})
            or (a.category ${inList(c.forceCategories)}
              and c.received_at >= ${c.forceSince} and c.received_at <= ${c.until})
            or (a.finding = 'sustained' and a.decided_at >= ${c.sustainedSince} and a.decided_at <= ${c.until})
          )
    ) cases
    where n <= ${perOfficer}
    order by officer_id, n`.execute(db);
  return rows.map(({ n: _n, officer_total, ...row }) => ({ ...row, officer_total: Number(officer_total) }));
}

export type DisparityDimension = 'all' | 'ageRange' | 'gender' | 'race';

export interface DisparityRow {
  dimension: DisparityDimension;
  /** The answer given; '' when the complaint has none (no complainant, no demographics, or the question skipped). */
  value: string;
  complaints: number;
  /** Complaints with at least one allegation that has a finding. */
  decided: number;
  /** Complaints with at least one sustained allegation. */
  sustained: number;
}

/**
 * Complaints received in [from, until) by the complainant's answers to the voluntary questions:
 * age range, gender, and each race chosen (a complaint counts once under every race chosen), with
 * how many of them have a decided allegation and how many a sustained one; and the total ('all').
 */
export async function disparityCounts(db: Executor, from: Date, until: Date): Promise<DisparityRow[]> {
  const { rows } = await sql<DisparityRow>`
    with base as materialized (
      select p.demographics as d, x.decided, x.sustained
        from complaints c
        left join complainants p on p.complaint_id = c.id and p.role = 'complainant'
        cross join lateral (
          select coalesce(bool_or(a.finding is not null), false) as decided,
              coalesce(bool_or(a.finding = 'sustained'), false) as sustained
            from allegations a where a.complaint_id = c.id
        ) x
        where c.received_at >= ${from} and c.received_at < ${until}
    ),
    answers as (
      select 'all' as dimension, '' as value, decided, sustained from base
      union all
      select 'ageRange', coalesce(case when jsonb_typeof(d) = 'object' then d ->> 'ageRange' end, ''), decided,
          sustained
        from base
      union all
      select 'gender', coalesce(case when jsonb_typeof(d) = 'object' then d ->> 'gender' end, ''), decided, sustained
        from base
      union all
      select 'race', coalesce(r.value, ''), decided, sustained
        from base
        left join lateral jsonb_array_elements_text(
          case when jsonb_typeof(d) = 'object' and jsonb_typeof(d -> 'races') = 'array' then d -> 'races'
            else '[]'::jsonb end
        ) r(value) on true
    )
    select dimension, value, count(*)::int as complaints, (count(*) filter (where decided))::int as decided,
        (count(*) filter (where sustained))::int as sustained
      from answers
      group by dimension, value
      order by dimension, value`.execute(db);
  return rows;
}
