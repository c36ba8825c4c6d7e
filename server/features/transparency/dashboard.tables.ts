/** The tables under the charts: the figures of one or more periods side by side, a column for each. */

import { SURVEY_QUESTIONS, type SurveyQuestion } from './transparency.repository.js';
import { countCell, type CountCell, type CountRow, type DashboardLabels, type Figure } from './dashboard.cells.js';
import type { DashboardModel } from './dashboard.figures.js';

/** A row of a table of counts: one cell per period (the dashboard has one; a report this year and last). */
export interface CompareRow {
  key: string;
  label: string;
  cells: CountCell[];
}

/** A key figure (a count, a number of days, a percentage) in each period, named by its key. */
export interface KeyFigureRow {
  key: 'received' | 'decided' | 'closed' | 'median' | 'p90' | 'deadline' | 'sustained';
  cells: Array<{ text: string; shown: boolean }>;
}

export interface SurveyRow {
  question: SurveyQuestion;
  label: string;
  cells: Array<{ average: Figure; responses: CountCell }>;
}

/** The tables under the charts, with a column for each period. */
export interface FigureTables {
  months: CompareRow[];
  categories: CompareRow[];
  findings: CompareRow[];
  districts: CompareRow[];
  /** Complaints received in each period. */
  received: CountCell[];
  /** Allegations decided in each period. */
  decided: CountCell[];
  key: KeyFigureRow[];
  survey: SurveyRow[];
}

/** Rows of several periods side by side, matched by key: the first period's order, then the rest. */
export function compareRows(periods: ReadonlyArray<readonly CountRow[]>, labels: DashboardLabels): CompareRow[] {
  const zero = countCell(0, labels);
  const order: Array<{ key: string; label: string }> = [];
  const seen = new Set<string>();
  for (const rows of periods)
    for (const r of rows)
      if (!seen.has(r.key)) {
        seen.add(r.key);
        order.push({ key: r.key, label: r.label });
      }
  const lookups = periods.map((rows) => new Map(rows.map((r) => [r.key, r.count])));
  return order.map(({ key, label }) => ({ key, label, cells: lookups.map((m) => m.get(key) ?? zero) }));
}

/**
 * The tables of one or more periods of equal length. With `byMonthOfYear` the months are matched by
 * their place in the year (January with January) and named without the year.
 */
export function figureTables(
  periods: readonly DashboardModel[],
  labels: DashboardLabels,
  options: { byMonthOfYear: boolean } = { byMonthOfYear: false },
): FigureTables {
  const months = periods.map((p) =>
    options.byMonthOfYear
      ? p.received.rows.map((r) => ({ ...r, key: r.key.slice(5), label: labels.monthOfYear(r.key) }))
      : p.received.rows,
  );
  const shown = (f: Figure) => ({ text: f.text, shown: f.value !== null });
  const counted = (c: CountCell) => ({ text: c.text, shown: !c.suppressed });
  return {
    months: compareRows(months, labels),
    categories: compareRows(
      periods.map((p) => p.categories.rows),
      labels,
    ),
    findings: compareRows(
      periods.map((p) => p.findings.rows),
      labels,
    ),
    districts: compareRows(
      periods.map((p) => p.districts.rows),
      labels,
    ),
    received: periods.map((p) => p.received.total),
    decided: periods.map((p) => p.findings.total),
    key: [
      { key: 'received', cells: periods.map((p) => counted(p.received.total)) },
      { key: 'decided', cells: periods.map((p) => counted(p.findings.total)) },
      { key: 'closed', cells: periods.map((p) => counted(p.closing.closed)) },
      { key: 'median', cells: periods.map((p) => shown(p.closing.median)) },
      { key: 'p90', cells: periods.map((p) => shown(p.closing.p90)) },
      { key: 'deadline', cells: periods.map((p) => shown(p.deadline.percent)) },
      { key: 'sustained', cells: periods.map((p) => shown(p.sustained.percent)) },
    ],
    survey: SURVEY_QUESTIONS.map((question, k) => ({
      question,
      label: labels.surveyQuestion(question),
      cells: periods.map((p) => ({ average: p.survey[k]!.average, responses: p.survey[k]!.responses })),
    })),
  };
}
