import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Executor } from '../../platform/db/executor.js';

// The statistics the public sees are rebuilt from the cases by one refresh, so no public request
// ever scans the cases: the dashboard and the report read `stats_rollup` (a few rows a month per
// measure) and the open data reads `open_data_rows` (already generalised).

/** The measures of `stats_rollup`, each counted by month and key. */
export const MEASURES = {
  /** Complaints received; key ''. */
  received: 'received',
  /** Complaints received, by district code ('unknown' when none). */
  district: 'district',
  /** Complaints received with at least one allegation of a category, by category code. */
  category: 'category',
  /** Decided allegations by finding, counted in the month their complaint was received. */
  finding: 'finding',
  /** Complaints closed, by whole days from receipt to closing; counted in the month closed. */
  closedDays: 'closed_days',
  /** Investigation clocks completed, key 'met' or 'missed'; counted in the month completed. */
  investigationDeadline: 'investigation_deadline',
  /** Survey answers by score '1'–'5', one measure per question; counted in the month answered. */
  survey: 'survey_',
} as const;

export const SURVEY_QUESTIONS = ['respect', 'understood', 'informed', 'explained', 'trust'] as const;
export type SurveyQuestion = (typeof SURVEY_QUESTIONS)[number];

const monthOf = (column: string, timeZone: string) =>
  sql<string>`date_trunc('month', ${sql.ref(column)} at time zone ${timeZone})::date`;

/**
 * One rebuild at a time across instances (#18 item 4), held until the transaction ends; readers
 * are not blocked. With `wait` false, answers false at once when another instance is rebuilding.
 * A rebuild reads every case, so the app's statement timeout (#18 item 3) is lifted for it.
 */
export async function lockForRebuild(trx: Executor, wait = true): Promise<boolean> {
  await sql`set local statement_timeout = 0`.execute(trx);
  if (wait) {
    await sql`select pg_advisory_xact_lock(hashtext('statistics.rebuild'))`.execute(trx);
    return true;
  }
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(hashtext('statistics.rebuild')) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

export async function rebuildRollups(trx: Executor, timeZone: string): Promise<void> {
  await trx.deleteFrom('stats_rollup').execute();
  const received = monthOf('c.received_at', timeZone);
  await sql`
    insert into stats_rollup (month, measure, key, count)
    select ${received}, ${MEASURES.received}, '', count(*)::int from complaints c group by 1
    union all
    select ${received}, ${MEASURES.district}, coalesce(c.district, 'unknown'), count(*)::int
      from complaints c group by 1, 3
    union all
    select ${received}, ${MEASURES.category}, a.category, count(distinct c.id)::int
      from complaints c join allegations a on a.complaint_id = c.id group by 1, 3
    union all
    select ${received}, ${MEASURES.finding}, a.finding, count(*)::int
      from complaints c join allegations a on a.complaint_id = c.id
      where a.finding is not null group by 1, 3
    union all
    select ${monthOf('c.closed_at', timeZone)}, ${MEASURES.closedDays},
        floor(extract(epoch from (c.closed_at - c.received_at)) / 86400)::int::text, count(*)::int
      from complaints c where c.closed_at >= c.received_at group by 1, 3
    union all
    select ${monthOf('d.completed_at', timeZone)}, ${MEASURES.investigationDeadline},
        case when d.status = 'met' then 'met' else 'missed' end, count(*)::int
      from deadlines d
      where d.kind = 'investigation' and d.completed_at is not null and d.status in ('met', 'breached')
      group by 1, 3
  `.execute(trx);
  for (const question of SURVEY_QUESTIONS) {
    await sql`
      insert into stats_rollup (month, measure, key, count)
      select ${monthOf('s.answered_at', timeZone)}, ${MEASURES.survey + question}, ${sql.ref(`s.${question}`)}::text,
          count(*)::int
        from surveys s where s.answered_at is not null and ${sql.ref(`s.${question}`)} is not null
        group by 1, 3
    `.execute(trx);
  }
}

/**
 * The open-data rows: one per allegation, with month, category, district, finding, a band of days
 * to close and stage, and nothing finer. A combination shared by fewer than 5 complaints loses its
 * district and days band; if still rarer than 5, its month becomes its year and its category,
 * finding and stage are withheld too. Rows are numbered in a stable order for paging. The distinct
 * complaints of a combination are counted with window functions (the highest dense rank), not a
 * join to a grouped copy, which the planner ran as a nested loop: quadratic in the rows.
 */
export async function rebuildOpenData(trx: Executor, timeZone: string): Promise<void> {
  await trx.deleteFrom('open_data_rows').execute();
  await sql`
    with base as (
      select c.id as complaint_id,
          to_char(date_trunc('month', c.received_at at time zone ${timeZone}), 'YYYY-MM') as month,
          a.category, coalesce(c.district, 'unknown') as district, coalesce(a.finding, 'none') as finding,
          case
            when c.closed_at is null then 'open'
            when c.closed_at - c.received_at <= interval '30 days' then '0-30'
            when c.closed_at - c.received_at <= interval '90 days' then '31-90'
            when c.closed_at - c.received_at <= interval '180 days' then '91-180'
            when c.closed_at - c.received_at <= interval '365 days' then '181-365'
            else 'over-365'
          end as days_band,
          c.stage
        from allegations a join complaints c on c.id = a.complaint_id
    ),
    -- k: how many different complaints share the row's combination (count distinct as a window:
    -- the highest dense rank of the complaint within its combination).
    first_counted as (
      select r.*, max(r.n) over (partition by month, category, district, finding, days_band, stage) as k
        from (
          select b.*, dense_rank() over (partition by month, category, district, finding, days_band, stage
                                         order by complaint_id) as n
            from base b
        ) r
    ),
    first_pass as (
      select complaint_id, month, category, finding, stage,
          case when k < 5 then 'suppressed' else district end as district,
          case when k < 5 then 'suppressed' else days_band end as days_band
        from first_counted
    ),
    second_counted as (
      select r.*, max(r.n) over (partition by month, category, district, finding, days_band, stage) as k
        from (
          select f.*, dense_rank() over (partition by month, category, district, finding, days_band, stage
                                         order by complaint_id) as n
            from first_pass f
        ) r
    ),
    second_pass as (
      select case when k < 5 then substr(month, 1, 4) else month end as month,
          case when k < 5 then 'suppressed' else category end as category,
          district,
          case when k < 5 then 'suppressed' else finding end as finding,
          days_band,
          case when k < 5 then 'suppressed' else stage end as stage
        from second_counted
    )
    insert into open_data_rows (row_no, month, category, district, finding, days_to_close, stage)
    select row_number() over (order by month, category, district, finding, days_band, stage),
        month, category, district, finding, days_band, stage
      from second_pass
  `.execute(trx);
}

export interface RollupRow {
  month: string;
  measure: string;
  key: string;
  count: number;
}

const measureFilter = (measures: readonly string[]) => {
  const exact = measures.filter((m) => !m.endsWith('_'));
  const prefixes = measures.filter((m) => m.endsWith('_'));
  return (eb: ExpressionBuilder<Database, 'stats_rollup'>) =>
    eb.or([
      ...(exact.length ? [eb('measure', 'in', exact)] : []),
      ...prefixes.map((p) => eb('measure', 'like', `${p}%`)),
    ]);
};

/** The rollup rows of the given measures (a measure ending in '_' matches its prefix) between two months, inclusive. */
export async function rollupRows(
  db: Executor,
  range: { from: string; to: string },
  measures: readonly string[],
): Promise<RollupRow[]> {
  return db
    .selectFrom('stats_rollup')
    .select(['month', 'measure', 'key', 'count'])
    .where('month', '>=', range.from)
    .where('month', '<=', range.to)
    .where(measureFilter(measures))
    .orderBy('month')
    .execute();
}

/**
 * The same rows summed over the range per measure and key, dated the range's first month: what a
 * figure for the whole range needs (days to close has a row per day count and month, thousands).
 */
export async function rollupTotals(
  db: Executor,
  range: { from: string; to: string },
  measures: readonly string[],
): Promise<RollupRow[]> {
  const rows = await db
    .selectFrom('stats_rollup')
    .select((eb) => ['measure', 'key', eb.fn.sum<string>('count').as('total')])
    .where('month', '>=', range.from)
    .where('month', '<=', range.to)
    .where(measureFilter(measures))
    .groupBy(['measure', 'key'])
    .execute();
  return rows.map((r) => ({ month: range.from, measure: r.measure, key: r.key, count: Number(r.total) }));
}

/** The first and last months that have any rollup row, or undefined before any complaint. */
export async function rollupSpan(db: Executor): Promise<{ first: string; last: string } | undefined> {
  const row = await db
    .selectFrom('stats_rollup')
    .select((eb) => [eb.fn.min('month').as('first'), eb.fn.max('month').as('last')])
    .executeTakeFirst();
  return row?.first && row.last ? { first: String(row.first), last: String(row.last) } : undefined;
}

/** The years that have any rollup row, latest first. */
export async function rollupYears(db: Executor): Promise<number[]> {
  const rows = await db
    .selectFrom('stats_rollup')
    .select(sql<number>`extract(year from month)::int`.as('year'))
    .distinct()
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => Number(r.year));
}

export async function openDataCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('open_data_rows')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
