/**
 * What the dashboard shows and the words it shows it in: the reader's labels, and the count and
 * figure cells that carry a value only through the small-cell rule (suppression.ts).
 */

import type { SurveyQuestion } from './transparency.repository.js';
import { showCount, type ShownCount } from '../../domain/suppression.js';

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
  /** The department's discipline after a sustained finding (#19), in the vocabulary's order. */
  disciplines: readonly ReferenceName[];
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

export function countCell(raw: number, labels: Pick<DashboardLabels, 'fewerThanFive' | 'number'>): CountCell {
  const shown = showCount(raw);
  return shown.suppressed ? { ...shown, text: labels.fewerThanFive } : { ...shown, text: labels.number(shown.value) };
}

export const figure = (
  value: number | null,
  format: (n: number) => string,
  labels: Pick<DashboardLabels, 'notShown'>,
): Figure => (value === null ? { value: null, text: labels.notShown } : { value, text: format(value) });
