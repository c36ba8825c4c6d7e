// The public dashboard and annual report, computed from the monthly rollups. Pure: rollup rows, a
// range of months and the reader's labels in, a view model out.
//
// Every count leaves here through showCount (so it is 0, a multiple of 5, or "fewer than 5"), every
// rate through showRate, every average through showAverage and every percentile through
// showPercentile (suppression.ts): nothing raw reaches a page, a table or the length of a bar.

import { MEASURES, SURVEY_QUESTIONS, type RollupRow, type SurveyQuestion } from './transparency.repository.js';
import { horizontalBars, verticalBars, type BarChart } from './dashboard.chart.js';
import { showAverage, showCount, showPercentile, showRate, type ShownCount } from '../../domain/suppression.js';

/** The longest range the dashboard shows at once. */
export const MAX_MONTHS = 36;

/** A month as 'YYYY-MM'. */
/** A month 'YYYY-MM' from 1900 on: earlier years are no agency's records, and year 0 is no month at all. */
export const MONTH = /^(19\d{2}|[2-9]\d{3})-(0[1-9]|1[0-2])$/;

export interface MonthRange {
  /** First month, 'YYYY-MM', inclusive. */
  from: string;
  /** Last month, 'YYYY-MM', inclusive. */
  to: string;
}

/** Months since year 0: 'YYYY-MM' → a number that differences and sorts like the month. */
export function monthIndex(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function monthAt(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const addMonths = (month: string, n: number): string => monthAt(monthIndex(month) + n);

/** How many months a range covers, both ends included (0 or less when `to` is before `from`). */
export const monthsCovered = (range: MonthRange): number => monthIndex(range.to) - monthIndex(range.from) + 1;

export function monthsOf(range: MonthRange): string[] {
  const first = monthIndex(range.from);
  return Array.from({ length: Math.max(0, monthsCovered(range)) }, (_, k) => monthAt(first + k));
}

/** The rollup bounds of a range: the first day of its first and last months. */
export const rollupBounds = (range: MonthRange) => ({ from: `${range.from}-01`, to: `${range.to}-01` });

/** A category, district or finding as the reader names it; `listed` ones appear even with no cases. */
export interface ReferenceName {
  code: string;
  name: string;
  listed: boolean;
}

/** Everything the model writes in the reader's language. */
export interface DashboardLabels {
  /** In display order. */
  categories: readonly ReferenceName[];
  /** In display order; 'unknown' (no district recorded) is added last when it has cases. */
  districts: readonly ReferenceName[];
  findings: readonly ReferenceName[];
  unknownDistrict: string;
  /** A suppressed count: "fewer than 5". */
  fewerThanFive: string;
  /** A rate, average or percentile over fewer than 5: "not shown". */
  notShown: string;
  /** "March 2026" */
  month(month: string): string;
  /** "Mar 2026", under a chart's axis */
  monthShort(month: string): string;
  /** "March", a row of the annual report */
  monthOfYear(month: string): string;
  number(n: number): string;
  /** An average score, one decimal */
  decimal(n: number): string;
  percent(n: number): string;
  days(n: number): string;
  surveyQuestion(question: SurveyQuestion): string;
}

/** A shown count and the text the page writes for it. */
export type CountCell = ShownCount & { text: string };

export interface CountRow {
  key: string;
  label: string;
  count: CountCell;
}

/** A rate, average or percentile: null (and "not shown") when its group is below 5. */
export interface Figure {
  value: number | null;
  text: string;
}

export interface SurveyResult {
  question: SurveyQuestion;
  label: string;
  responses: CountCell;
  average: Figure;
}

export interface DashboardModel {
  range: MonthRange;
  months: number;
  /** Whether the rollups had any row in the range. */
  hasData: boolean;
  received: { rows: CountRow[]; total: CountCell; chart: BarChart };
  categories: { rows: CountRow[]; chart: BarChart };
  findings: { rows: CountRow[]; total: CountCell; chart: BarChart };
  districts: { rows: CountRow[]; chart: BarChart };
  closing: { closed: CountCell; median: Figure; p90: Figure };
  deadline: { met: CountCell; completed: CountCell; percent: Figure };
  sustained: { sustained: CountCell; decided: CountCell; percent: Figure };
  survey: SurveyResult[];
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
const sum = (map: ReadonlyMap<unknown, number>) => [...map.values()].reduce((a, b) => a + b, 0);

export function countCell(raw: number, labels: Pick<DashboardLabels, 'fewerThanFive' | 'number'>): CountCell {
  const shown = showCount(raw);
  return shown.suppressed ? { ...shown, text: labels.fewerThanFive } : { ...shown, text: labels.number(shown.value) };
}

const figure = (value: number | null, format: (n: number) => string, labels: DashboardLabels): Figure =>
  value === null ? { value: null, text: labels.notShown } : { value, text: format(value) };

/** The reference entries that are listed or have cases, in their order, then any unnamed code. */
function breakdown(
  raw: ReadonlyMap<string, number>,
  names: readonly ReferenceName[],
  nameOf: (code: string) => string,
  labels: DashboardLabels,
): CountRow[] {
  const known = new Set(names.map((n) => n.code));
  const rows = names
    .filter((n) => n.listed || (raw.get(n.code) ?? 0) > 0)
    .map((n) => ({ key: n.code, label: n.name, count: countCell(raw.get(n.code) ?? 0, labels) }));
  const others = [...raw.keys()]
    .filter((code) => !known.has(code) && (raw.get(code) ?? 0) > 0)
    .sort((a, b) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a.localeCompare(b)))
    .map((code) => ({ key: code, label: nameOf(code), count: countCell(raw.get(code) ?? 0, labels) }));
  return [...rows, ...others];
}

const barsOf = (rows: readonly CountRow[]) =>
  horizontalBars(rows.map((r) => ({ label: r.label, value: r.count.value, text: r.count.text })));

/** The dashboard of one range of months. */
export function dashboardModel(rows: readonly RollupRow[], range: MonthRange, labels: DashboardLabels): DashboardModel {
  const months = monthsOf(range);
  const inRange = new Set(months);
  const received = new Map<string, number>();
  const districts = new Map<string, number>();
  const categories = new Map<string, number>();
  const findings = new Map<string, number>();
  const closedDays = new Map<number, number>();
  const deadline = new Map<string, number>();
  const survey = new Map<string, Map<number, number>>(SURVEY_QUESTIONS.map((q) => [MEASURES.survey + q, new Map()]));
  let hasData = false;

  for (const row of rows) {
    const month = String(row.month).slice(0, 7);
    if (!inRange.has(month) || !(row.count > 0)) continue;
    hasData = true;
    const n = row.count;
    switch (row.measure) {
      case MEASURES.received:
        add(received, month, n);
        break;
      case MEASURES.district:
        add(districts, row.key, n);
        break;
      case MEASURES.category:
        add(categories, row.key, n);
        break;
      case MEASURES.finding:
        add(findings, row.key, n);
        break;
      case MEASURES.closedDays: {
        const days = Number(row.key);
        if (Number.isInteger(days) && days >= 0) closedDays.set(days, (closedDays.get(days) ?? 0) + n);
        break;
      }
      case MEASURES.investigationDeadline:
        add(deadline, row.key, n);
        break;
      default: {
        const answers = survey.get(row.measure);
        const score = Number(row.key);
        if (answers && Number.isInteger(score) && score >= 1 && score <= 5)
          answers.set(score, (answers.get(score) ?? 0) + n);
      }
    }
  }

  const monthRows = months.map((month) => ({
    key: month,
    label: labels.month(month),
    count: countCell(received.get(month) ?? 0, labels),
  }));
  const findingRows = breakdown(findings, labels.findings, (code) => code, labels);
  const categoryRows = breakdown(categories, labels.categories, (code) => code, labels);
  const districtRows = breakdown(
    districts,
    labels.districts,
    (code) => (code === 'unknown' ? labels.unknownDistrict : code),
    labels,
  );

  const decided = sum(findings);
  const met = deadline.get('met') ?? 0;
  const completed = met + (deadline.get('missed') ?? 0);
  const days = (n: number) => labels.days(n);

  return {
    range: { ...range },
    months: months.length,
    hasData,
    received: {
      rows: monthRows,
      total: countCell(sum(received), labels),
      chart: verticalBars(
        monthRows.map((r) => ({
          label: r.label,
          shortLabel: labels.monthShort(r.key),
          value: r.count.value,
          text: r.count.text,
        })),
        labels.number,
      ),
    },
    categories: { rows: categoryRows, chart: barsOf(categoryRows) },
    findings: { rows: findingRows, total: countCell(decided, labels), chart: barsOf(findingRows) },
    districts: { rows: districtRows, chart: barsOf(districtRows) },
    closing: {
      closed: countCell(sum(closedDays), labels),
      median: figure(showPercentile(closedDays, 0.5), days, labels),
      p90: figure(showPercentile(closedDays, 0.9), days, labels),
    },
    deadline: {
      met: countCell(met, labels),
      completed: countCell(completed, labels),
      percent: figure(showRate(met, completed), labels.percent, labels),
    },
    sustained: {
      sustained: countCell(findings.get('sustained') ?? 0, labels),
      decided: countCell(decided, labels),
      percent: figure(showRate(findings.get('sustained') ?? 0, decided), labels.percent, labels),
    },
    survey: SURVEY_QUESTIONS.map((question) => {
      const answers = survey.get(MEASURES.survey + question) ?? new Map<number, number>();
      const n = sum(answers);
      const total = [...answers].reduce((acc, [score, count]) => acc + score * count, 0);
      return {
        question,
        label: labels.surveyQuestion(question),
        responses: countCell(n, labels),
        average: figure(showAverage(total, n), labels.decimal, labels),
      };
    }),
  };
}

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

/** The public dashboard of a range: its figures and their tables. */
export interface DashboardView {
  model: DashboardModel;
  tables: FigureTables;
}

export function dashboardView(rows: readonly RollupRow[], range: MonthRange, labels: DashboardLabels): DashboardView {
  const model = dashboardModel(rows, range, labels);
  return { model, tables: figureTables([model], labels) };
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
