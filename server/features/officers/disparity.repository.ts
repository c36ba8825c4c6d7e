import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { getSetting, putSetting } from '../../platform/db/settings.repository.js';

/** The instant the kept days count up to: complaints received before it are in them. */
const KEPT_UNTIL = 'disparity.kept_until';

// The disparity view: complaints by the complainant's answers to the voluntary questions, with how
// many were decided and sustained. At a million complaints counting a year of them took seconds, so
// the statistics refresh keeps the counts per day received (#18 item 1) and a view sums those days,
// adding the complaints received since that refresh from the complaints themselves.

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
 * Each complaint received in [from, until) once under 'all', its age range and gender, and each race
 * chosen (a complaint counts once under every race chosen), with the day it was received in the
 * agency's time zone and whether it has a decided and a sustained allegation.
 */
function answers(from: Date | undefined, until: Date, timeZone: string): RawBuilder<unknown> {
  return sql`
    with base as materialized (
      select (c.received_at at time zone ${timeZone})::date as day, p.demographics as d, x.decided, x.sustained
        from complaints c
        left join complainants p on p.complaint_id = c.id and p.role = 'complainant'
        cross join lateral (
          select coalesce(bool_or(a.finding is not null), false) as decided,
              coalesce(bool_or(a.finding = 'sustained'), false) as sustained
            from allegations a where a.complaint_id = c.id
        ) x
        where ${from ? sql`c.received_at >= ${from} and ` : sql``}c.received_at < ${until}
    )
    select day, 'all' as dimension, '' as value, decided, sustained from base
    union all
    select day, 'ageRange', coalesce(case when jsonb_typeof(d) = 'object' then d ->> 'ageRange' end, ''), decided,
        sustained
      from base
    union all
    select day, 'gender', coalesce(case when jsonb_typeof(d) = 'object' then d ->> 'gender' end, ''), decided,
        sustained
      from base
    union all
    select day, 'race', coalesce(r.value, ''), decided, sustained
      from base
      left join lateral jsonb_array_elements_text(
        case when jsonb_typeof(d) = 'object' and jsonb_typeof(d -> 'races') = 'array' then d -> 'races'
          else '[]'::jsonb end
      ) r(value) on true`;
}

/** Rebuilds the per-day counts from every complaint received before `before` (the statistics refresh). */
export async function rebuildDisparityDays(trx: Executor, timeZone: string, before: Date): Promise<void> {
  await trx.deleteFrom('disparity_days').execute();
  await sql`
    insert into disparity_days (day, dimension, value, complaints, decided, sustained)
    select day, dimension, value, count(*)::int, (count(*) filter (where decided))::int,
        (count(*) filter (where sustained))::int
      from (${answers(undefined, before, timeZone)}) a
      group by 1, 2, 3`.execute(trx);
  await putSetting(trx, KEPT_UNTIL, before.toISOString());
}

/** Up to when the kept days count (undefined before the first statistics refresh). */
export async function disparityKeptUntil(db: Executor): Promise<Date | undefined> {
  const value = await getSetting<string>(db, KEPT_UNTIL);
  return value ? new Date(value) : undefined;
}

/**
 * Complaints received in [from, until): the kept days up to the last refresh (`keptUntil`, the
 * instant it counted up to), then the complaints received since, counted one by one. Without a
 * refresh yet, all of them one by one. `from` and `until` are the starts of days in `timeZone`.
 */
export async function disparityCounts(
  db: Executor,
  window: { from: Date; until: Date; fromDay: string; untilDay: string },
  keptUntil: Date | undefined,
  timeZone: string,
): Promise<DisparityRow[]> {
  const tailFrom = keptUntil && keptUntil > window.from ? keptUntil : window.from;
  const kept = keptUntil
    ? sql`select dimension, value, complaints, decided, sustained from disparity_days
           where day >= ${window.fromDay} and day < ${window.untilDay}`
    : sql`select null::text as dimension, null::text as value, 0 as complaints, 0 as decided, 0 as sustained where false`;
  const { rows } = await sql<DisparityRow>`
    select dimension, value, sum(complaints)::int as complaints, sum(decided)::int as decided,
        sum(sustained)::int as sustained
      from (
        ${kept}
        union all
        select dimension, value, 1, decided::int, sustained::int
          from (${tailFrom < window.until ? answers(tailFrom, window.until, timeZone) : sql`select null::date as day, null::text as dimension, null::text as value, false as decided, false as sustained where false`}) t
      ) parts
      group by dimension, value
      order by dimension, value`.execute(db);
  return rows;
}
