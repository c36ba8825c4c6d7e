import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Executor } from '../../platform/db/executor.js';

// The statistics the public sees are kept by the statistics refresh (statistics.repository.ts), so
// no public request ever scans the cases: the dashboard and the report read `stats_rollup` (a few
// rows a month per measure) and the open data reads `open_data_rows` (already generalised).

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
  /** Sustained allegations by whether the department concurred ('yes', 'no'), in the month of its response in force. */
  responseConcurred: 'response_concurred',
  /** The same by 'category:discipline'. */
  responseDiscipline: 'response_discipline',
  /** Responses still awaited after their deadline; key '', counted in the month they fell due. */
  responseOverdue: 'response_overdue',
} as const;

/** The department's responses (#19): shown month by month, so that they can be put by year. */
export const RESPONSE_MEASURES = [MEASURES.responseConcurred, MEASURES.responseDiscipline, MEASURES.responseOverdue];

export const SURVEY_QUESTIONS = ['respect', 'understood', 'informed', 'explained', 'trust'] as const;
export type SurveyQuestion = (typeof SURVEY_QUESTIONS)[number];

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

/** The rows of the open data: each published combination counts as many rows as it stands for. */
export async function openDataCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('open_data_rows')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('n'), sql<string>`0`).as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
