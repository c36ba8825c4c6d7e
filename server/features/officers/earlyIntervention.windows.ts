const DAY_MS = 86_400_000;

/**
 * A window [since, until] split for the per-day officer counts (#18 item 1): the whole UTC days in
 * it, read from the counts the triggers keep, and the partial days at its ends, read from the
 * allegations themselves. Together they count exactly what the window holds.
 */
export interface SplitWindow {
  /** Whole days from `fromDay` (included) to `toDay` (excluded), 'YYYY-MM-DD'; empty when equal. */
  fromDay: string;
  toDay: string;
  /** The instants outside those days: each [from, to), the last one up to `until` included. */
  partial: Array<{ from: Date; to: Date; inclusive: boolean }>;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const startOfDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

export function splitWindow(since: Date, until: Date): SplitWindow {
  const firstWhole =
    startOfDay(since).getTime() === since.getTime() ? since : new Date(startOfDay(since).getTime() + DAY_MS);
  const lastStart = startOfDay(until);
  if (firstWhole.getTime() >= lastStart.getTime()) {
    // Less than a whole day between the ends: all of it from the allegations.
    return {
      fromDay: dayOf(lastStart),
      toDay: dayOf(lastStart),
      partial: [{ from: since, to: until, inclusive: true }],
    };
  }
  return {
    fromDay: dayOf(firstWhole),
    toDay: dayOf(lastStart),
    partial: [
      ...(firstWhole.getTime() > since.getTime() ? [{ from: since, to: firstWhole, inclusive: false }] : []),
      { from: lastStart, to: until, inclusive: true },
    ],
  };
}
