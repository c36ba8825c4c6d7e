const DAY_MS = 86_400_000;

/**
 * A window [since, until] split for the per-day officer counts (#18 item 1): the whole UTC days in
 * it, read from the counts the triggers keep, and the partial day at its start, read from the
 * allegations themselves. The day of `until` (now) counts whole: nothing is received or decided
 * later than now, so that day's counts hold only what came before it. Together they count exactly
 * what the window holds, and the raw part is at most one day long, however busy today is.
 */
export interface SplitWindow {
  /** Whole days from `fromDay` (included) to `toDay` (excluded), 'YYYY-MM-DD'; empty when equal. */
  fromDay: string;
  toDay: string;
  /** The instants outside those days: each [from, to), or up to `to` included if `inclusive`. */
  partial: Array<{ from: Date; to: Date; inclusive: boolean }>;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const startOfDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

export function splitWindow(since: Date, until: Date): SplitWindow {
  const firstWhole =
    startOfDay(since).getTime() === since.getTime() ? since : new Date(startOfDay(since).getTime() + DAY_MS);
  const lastStart = startOfDay(until);
  if (firstWhole.getTime() > lastStart.getTime()) {
    // Both ends in one day, after its start: all of it from the allegations.
    return {
      fromDay: dayOf(lastStart),
      toDay: dayOf(lastStart),
      partial: [{ from: since, to: until, inclusive: true }],
    };
  }
  return {
    fromDay: dayOf(firstWhole),
    toDay: dayOf(new Date(lastStart.getTime() + DAY_MS)),
    partial: firstWhole.getTime() > since.getTime() ? [{ from: since, to: firstWhole, inclusive: false }] : [],
  };
}
