import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

// The disparity view: complaints by the complainant's answers to the voluntary questions, with how
// many were decided and sustained. At a million complaints counting a year of them took seconds, so
// the statistics refresh keeps the counts per day received (#18 item 1), adding what changed since
// the last refresh (transparency/statistics.repository.ts), and a view sums those days, adding the
// complaints filed since that refresh from the complaints themselves.

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
 * The day counts a set of complaints' inputs add (`sign` 1) or take away (-1), from a relation of
 * statistics inputs (`stats_snapshots` rows with a `sign`): each complaint once under 'all', its
 * age range and gender, and each race chosen (once under every race chosen, or '' for none).
 */
export function disparityDelta(inputs: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select day, dimension, value, sum(sign)::int as complaints, sum(sign * decided::int)::int as decided,
        sum(sign * sustained::int)::int as sustained
      from (
        select received_day as day, 'all' as dimension, '' as value, decided, sustained, sign from ${inputs}
        union all
        select received_day, 'ageRange', age_range, decided, sustained, sign from ${inputs}
        union all
        select received_day, 'gender', gender, decided, sustained, sign from ${inputs}
        union all
        select received_day, 'race', coalesce(r.value, ''), decided, sustained, sign
          from ${inputs} left join lateral unnest(races) r(value) on true
      ) parts
      group by 1, 2, 3
      having sum(sign) <> 0 or sum(sign * decided::int) <> 0 or sum(sign * sustained::int) <> 0`;
}

/**
 * The complaints filed since the last refresh (noted as changed, never counted), received in
 * [from, until), as the refresh would count them.
 */
function uncounted(from: Date, until: Date): RawBuilder<unknown> {
  return sql`
    with base as materialized (
      select p.demographics as d, x.decided, x.sustained
        from complaints c
        left join complainants p on p.complaint_id = c.id and p.role = 'complainant'
        cross join lateral (
          select coalesce(bool_or(a.finding is not null), false) as decided,
              coalesce(bool_or(a.finding = 'sustained'), false) as sustained
            from allegations a where a.complaint_id = c.id
        ) x
        where c.id in (select complaint_id from stats_changes)
          and not exists (select 1 from stats_snapshots s where s.complaint_id = c.id)
          and c.received_at >= ${from} and c.received_at < ${until}
    )
    select 'all' as dimension, '' as value, decided, sustained from base
    union all
    select 'ageRange', coalesce(case when jsonb_typeof(d) = 'object' then d ->> 'ageRange' end, ''), decided, sustained
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
      ) r(value) on true`;
}

/**
 * Complaints received in [from, until): the kept days, and the complaints filed since the last
 * refresh counted one by one, read in one statement (so a refresh committing meanwhile is seen
 * whole or not at all). `from` and `until` are the starts of days in the agency's time zone.
 */
export async function disparityCounts(
  db: Executor,
  window: { from: Date; until: Date; fromDay: string; untilDay: string },
): Promise<DisparityRow[]> {
  const { rows } = await sql<DisparityRow>`
    select dimension, value, sum(complaints)::int as complaints, sum(decided)::int as decided,
        sum(sustained)::int as sustained
      from (
        select dimension, value, complaints, decided, sustained from disparity_days
         where day >= ${window.fromDay} and day < ${window.untilDay}
        union all
        select dimension, value, 1, decided::int, sustained::int from (${uncounted(window.from, window.until)}) t
      ) parts
      group by dimension, value
      order by dimension, value`.execute(db);
  return rows;
}
