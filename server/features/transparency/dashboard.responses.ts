/**
 * The department's responses to sustained findings on the dashboard and in the report (#19 part 2),
 * from the monthly rollups: how often it concurred, the discipline by category of allegation, the
 * responses overdue, and the same by year. Pure; every count goes out through countCell and the
 * rate through showRate (the small-cell rule), and nothing names an officer or a case.
 */

import { MEASURES, type RollupRow } from './transparency.repository.js';
import { showRate } from '../../domain/suppression.js';
import { countCell, figure, type CountCell, type DashboardLabels, type Figure } from './dashboard.cells.js';

export interface ResponseYear {
  year: string;
  responded: CountCell;
  concurrence: Figure;
  overdue: CountCell;
}

export interface ResponseFigures {
  /** Sustained allegations whose response in force is dated in the range. */
  responded: CountCell;
  concurred: CountCell;
  /** Those the department did not concur with (the open data publishes it; the page shows the share). */
  notConcurred: CountCell;
  /** The share of those the department concurred with. */
  concurrence: Figure;
  /** Responses still awaited whose deadline passed in the range. */
  overdue: CountCell;
  /** The disciplines' names, in the vocabulary's order: the columns of `byCategory`. */
  columns: string[];
  /** By discipline, every category together, in the same order. */
  totals: CountCell[];
  /** A row per category with responses, a cell per discipline. */
  byCategory: Array<{ key: string; label: string; cells: CountCell[] }>;
  /** A row per year of the range with any response or overdue one, oldest first. */
  years: ResponseYear[];
}

/** The words the figures need: the open data passes codes and markers instead of the reader's words. */
export type ResponseLabels = Pick<
  DashboardLabels,
  'categories' | 'disciplines' | 'fewerThanFive' | 'notShown' | 'number' | 'percent'
>;

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** The response figures of the rollup rows of the range's months (`inRange`). */
export function responseFigures(
  rows: readonly RollupRow[],
  inRange: ReadonlySet<string>,
  labels: ResponseLabels,
): ResponseFigures {
  const concurred = new Map<string, number>(); // year|yes, year|no
  const overdue = new Map<string, number>(); // year
  const byPair = new Map<string, number>(); // category:discipline
  for (const row of rows) {
    const month = String(row.month).slice(0, 7);
    if (!inRange.has(month) || !(row.count > 0)) continue;
    const year = month.slice(0, 4);
    if (row.measure === MEASURES.responseConcurred) add(concurred, `${year}|${row.key}`, row.count);
    else if (row.measure === MEASURES.responseOverdue) add(overdue, year, row.count);
    else if (row.measure === MEASURES.responseDiscipline) add(byPair, row.key, row.count);
  }
  const count = (n: number) => countCell(n, labels);
  const total = (map: Map<string, number>, match: (key: string) => boolean) =>
    [...map].filter(([key]) => match(key)).reduce((sum, [, n]) => sum + n, 0);
  const shareOf = (yes: number, all: number) => figure(showRate(yes, all), labels.percent, labels);

  const yes = total(concurred, (k) => k.endsWith('|yes'));
  const all = total(concurred, () => true);
  const years = [...new Set([...concurred.keys()].map((k) => k.slice(0, 4)).concat([...overdue.keys()]))].sort();
  const disciplineOf = (key: string) => key.slice(key.indexOf(':') + 1);
  const categoryOf = (key: string) => key.slice(0, key.indexOf(':'));
  const categories = labels.categories.filter((c) => [...byPair.keys()].some((k) => categoryOf(k) === c.code));
  const unnamed = [...new Set([...byPair.keys()].map(categoryOf))]
    .filter((code) => !labels.categories.some((c) => c.code === code))
    .sort();

  return {
    responded: count(all),
    concurred: count(yes),
    notConcurred: count(all - yes),
    concurrence: shareOf(yes, all),
    overdue: count(total(overdue, () => true)),
    columns: labels.disciplines.map((d) => d.name),
    totals: labels.disciplines.map((d) => count(total(byPair, (k) => disciplineOf(k) === d.code))),
    byCategory: [
      ...categories.map((c) => ({ code: c.code, name: c.name })),
      ...unnamed.map((code) => ({ code, name: code })),
    ].map((c) => ({
      key: c.code,
      label: c.name,
      cells: labels.disciplines.map((d) => count(byPair.get(`${c.code}:${d.code}`) ?? 0)),
    })),
    years: years.map((year) => {
      const answered = total(concurred, (k) => k.startsWith(`${year}|`));
      return {
        year,
        responded: count(answered),
        concurrence: shareOf(concurred.get(`${year}|yes`) ?? 0, answered),
        overdue: count(overdue.get(year) ?? 0),
      };
    }),
  };
}
