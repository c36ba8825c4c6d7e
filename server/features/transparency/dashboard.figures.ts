/**
 * The dashboard of one range of months (dashboardModel): the monthly rollup rows added up per
 * measure, each count, rate, average and percentile shown as a cell, and a chart of each series.
 */

import { MEASURES, SURVEY_QUESTIONS, type RollupRow, type SurveyQuestion } from './transparency.repository.js';
import { horizontalBars, verticalBars, type BarChart } from './dashboard.chart.js';
import { showAverage, showPercentile, showRate } from '../../domain/suppression.js';
import {
  countCell,
  figure,
  type CountCell,
  type CountRow,
  type DashboardLabels,
  type Figure,
  type ReferenceName,
} from './dashboard.cells.js';
import { monthsOf, type MonthRange } from './dashboard.months.js';
import { responseFigures, type ResponseFigures } from './dashboard.responses.js';

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
  /** What the department did with the sustained findings (#19). */
  responses: ResponseFigures;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
const sum = (map: ReadonlyMap<unknown, number>) => [...map.values()].reduce((a, b) => a + b, 0);

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
    responses: responseFigures(rows, inRange, labels),
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
