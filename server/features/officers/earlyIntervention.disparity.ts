/**
 * The disparity view's tables: complaints by the complainant's age range, gender and race, each
 * group's counts and sustained rate after the public small-cell rule.
 */

import type { DisparityRow } from './disparity.repository.js';
import { AGE_RANGES, GENDERS, RACES } from '../residents/complaint.schemas.js';
import { showCount, showRate, type ShownCount } from '../../domain/suppression.js';

/** One row of a disparity table: the group, and its counts and rate after the small-cell rule. */
export interface DisparityGroup {
  /** The answer's code, or '' for "not provided". */
  value: string;
  complaints: ShownCount;
  decided: ShownCount;
  sustained: ShownCount;
  /** Percent of the complaints with a decided allegation that have a sustained one; null when not shown. */
  sustainedRate: number | null;
}

export const DIMENSIONS = [
  { key: 'ageRange', values: AGE_RANGES },
  { key: 'gender', values: GENDERS },
  { key: 'race', values: RACES },
] as const;

/** The rows of one dimension, every known answer in the form's order then "not provided"; unknown answers count as not provided. */
export function groupsOf(rows: DisparityRow[], dimension: string, values: readonly string[]): DisparityGroup[] {
  const counts = new Map<string, { complaints: number; decided: number; sustained: number }>(
    [...values, ''].map((v) => [v, { complaints: 0, decided: 0, sustained: 0 }]),
  );
  for (const row of rows.filter((r) => r.dimension === dimension)) {
    const into = counts.get(values.includes(row.value) ? row.value : '')!;
    into.complaints += row.complaints;
    into.decided += row.decided;
    into.sustained += row.sustained;
  }
  return [...counts].map(([value, n]) => shown(value, n));
}

export function shown(value: string, n: { complaints: number; decided: number; sustained: number }): DisparityGroup {
  return {
    value,
    complaints: showCount(n.complaints),
    decided: showCount(n.decided),
    sustained: showCount(n.sustained),
    sustainedRate: showRate(n.sustained, n.decided),
  };
}
