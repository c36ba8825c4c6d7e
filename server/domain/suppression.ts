// The small-cell rule for everything the public (and the disparity view) sees. Pure.
//
// A count from 1 to 4 is never shown: it reads "fewer than 5". Every other count is rounded to the
// nearest multiple of 5 (5, 6 and 7 show as 5; 8 to 12 as 10). Rounding is the coarsening that
// makes differences safe: every shown count is a multiple of 5, so no subtraction of one shown
// number from another (a total minus its parts, one date range minus another) can give 1 to 4.
// Rates, averages and percentiles are computed only from groups of at least 5, and rates from the
// rounded counts, so they reveal nothing the rounded counts do not.

export const SMALL_CELL = 5;

export type ShownCount = { suppressed: false; value: number } | { suppressed: true; value: null };

export function showCount(count: number): ShownCount {
  if (!Number.isFinite(count) || count <= 0) return { suppressed: false, value: 0 };
  if (count < SMALL_CELL) return { suppressed: true, value: null };
  return { suppressed: false, value: Math.max(SMALL_CELL, Math.round(count / SMALL_CELL) * SMALL_CELL) };
}

/** A whole-number percentage of two counts, from their shown values; null when either is suppressed or nothing to divide by. */
export function showRate(part: number, whole: number): number | null {
  const top = showCount(part);
  const bottom = showCount(whole);
  if (top.suppressed || bottom.suppressed || bottom.value === 0) return null;
  return Math.min(100, Math.round((top.value / bottom.value) * 100));
}

/** The mean of scores, to one decimal, only over at least 5 answers. */
export function showAverage(sum: number, answers: number): number | null {
  if (answers < SMALL_CELL) return null;
  return Math.round((sum / answers) * 10) / 10;
}

/**
 * The p-th percentile (0 < p ≤ 1, nearest rank) of values given as a histogram of value → count;
 * null below 5 values.
 */
export function showPercentile(histogram: ReadonlyMap<number, number>, p: number): number | null {
  const values = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = values.reduce((sum, [, n]) => sum + n, 0);
  if (total < SMALL_CELL) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [value, n] of values) {
    seen += n;
    if (seen >= rank) return value;
  }
  return values.at(-1)?.[0] ?? null;
}
