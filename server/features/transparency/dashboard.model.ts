// The public dashboard and annual report, computed from the monthly rollups. Pure: rollup rows, a
// range of months and the reader's labels in, a view model out.
//
// Every count leaves here through showCount (so it is 0, a multiple of 5, or "fewer than 5"), every
// rate through showRate, every average through showAverage and every percentile through
// showPercentile (suppression.ts): nothing raw reaches a page, a table or the length of a bar.
//
// The parts: dashboard.months.ts (ranges of months), dashboard.cells.ts (labels and shown cells),
// dashboard.figures.ts (one range's figures and charts), dashboard.tables.ts (periods side by side).
// This module puts them together for the dashboard and the annual report, and is what callers import.

import type { RollupRow } from './transparency.repository.js';
import { addMonths, type MonthRange } from './dashboard.months.js';
import type { CountCell, DashboardLabels, Figure } from './dashboard.cells.js';
import { dashboardModel, type DashboardModel } from './dashboard.figures.js';
import { figureTables, type FigureTables } from './dashboard.tables.js';

export {
  DEFAULT_MONTHS,
  MAX_MONTHS,
  MONTH,
  addMonths,
  monthAt,
  monthIndex,
  monthsCovered,
  monthsOf,
  rollupBounds,
  type MonthRange,
} from './dashboard.months.js';
export {
  countCell,
  type CountCell,
  type CountRow,
  type DashboardLabels,
  type Figure,
  type ReferenceName,
} from './dashboard.cells.js';
export { dashboardModel, type DashboardModel, type SurveyResult } from './dashboard.figures.js';
export {
  compareRows,
  figureTables,
  type CompareRow,
  type FigureTables,
  type KeyFigureRow,
  type SurveyRow,
} from './dashboard.tables.js';

/** One figure of the summary at the top of the dashboard, as the model shows it. */
export interface SummaryFigure {
  /** Named by the catalogue's dashboard.key.<key>. */
  key: 'received' | 'closed' | 'median' | 'sustained';
  /** The model's own text: a rounded count, a number of days, a percentage, or what the small-cell rule says instead. */
  text: string;
  /** False when the small-cell rule withholds it ("fewer than 5", "not shown"). */
  shown: boolean;
}

/** The public dashboard of a range: a few key figures first, then its figures and their tables. */
export interface DashboardView {
  summary: SummaryFigure[];
  model: DashboardModel;
  tables: FigureTables;
}

/** Complaints received and closed, the median days to close and the sustained rate: the model's cells, unchanged. */
export function summaryFigures(model: DashboardModel): SummaryFigure[] {
  const count = (c: CountCell) => ({ text: c.text, shown: !c.suppressed });
  const figure = (f: Figure) => ({ text: f.text, shown: f.value !== null });
  return [
    { key: 'received', ...count(model.received.total) },
    { key: 'closed', ...count(model.closing.closed) },
    { key: 'median', ...figure(model.closing.median) },
    { key: 'sustained', ...figure(model.sustained.percent) },
  ];
}

export function dashboardView(rows: readonly RollupRow[], range: MonthRange, labels: DashboardLabels): DashboardView {
  const model = dashboardModel(rows, range, labels);
  return { summary: summaryFigures(model), model, tables: figureTables([model], labels) };
}

export interface AnnualReportModel {
  year: number;
  current: DashboardModel;
  /** The same months of the year before, when the statistics reach back that far. */
  previous?: { year: number; model: DashboardModel };
  /** This year's column, then last year's where there is one. */
  tables: FigureTables;
}

/**
 * A year's report: the dashboard of its months (January to December, or to the current month of
 * a year still under way) and, when given, the same months of the year before for comparison.
 */
export function annualReportModel(
  input: { year: number; range: MonthRange; rows: readonly RollupRow[]; previousRows?: readonly RollupRow[] },
  labels: DashboardLabels,
): AnnualReportModel {
  const current = dashboardModel(input.rows, input.range, labels);
  const previousRange = { from: addMonths(input.range.from, -12), to: addMonths(input.range.to, -12) };
  const previous = input.previousRows ? dashboardModel(input.previousRows, previousRange, labels) : undefined;
  return {
    year: input.year,
    current,
    ...(previous ? { previous: { year: input.year - 1, model: previous } } : {}),
    tables: figureTables(previous ? [current, previous] : [current], labels, { byMonthOfYear: true }),
  };
}
