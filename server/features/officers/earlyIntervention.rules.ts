import { DateTime } from 'luxon';
import { z } from 'zod';

// The early-intervention thresholds: what flags an officer for a supervisor's closer look. Pure.
//
// - complaints: distinct complaints naming the officer in an allegation, counted by the date each
//   complaint was received, within the last `months` months up to now;
// - force: allegations naming the officer whose category is one of `categories`, counted by the
//   date their complaint was received, within the window;
// - sustained: allegations naming the officer with a sustained finding decided within the window.
//
// An officer is flagged when any count reaches its threshold.

/** The setting (settings table) holding the thresholds. */
export const THRESHOLDS_SETTING = 'early_intervention.thresholds';

export const COUNT_MIN = 1;
export const COUNT_MAX = 100;
export const MONTHS_MIN = 1;
export const MONTHS_MAX = 120;
/** Categories a force threshold may list (the categories table has few; this caps a stored value). */
export const CATEGORIES_MAX = 100;

export const MEASURES = ['complaints', 'force', 'sustained'] as const;
export type Measure = (typeof MEASURES)[number];

export interface Threshold {
  /** The count that trips it (at least this many). */
  count: number;
  /** The window in whole months, ending now. */
  months: number;
}

export interface Thresholds {
  complaints: Threshold;
  force: Threshold & { categories: string[] };
  sustained: Threshold;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  complaints: { count: 3, months: 12 },
  force: { count: 2, months: 12, categories: ['force'] },
  sustained: { count: 1, months: 24 },
};

const count = z.number().int().min(COUNT_MIN).max(COUNT_MAX);
const months = z.number().int().min(MONTHS_MIN).max(MONTHS_MAX);
const code = z.string().regex(/^[a-z0-9_]{1,40}$/);

/** The stored shape, checked when read: a value edited by hand can be anything. */
const stored = z.strictObject({
  complaints: z.strictObject({ count, months }),
  force: z.strictObject({ count, months, categories: z.array(code).min(1).max(CATEGORIES_MAX) }),
  sustained: z.strictObject({ count, months }),
});

/**
 * The thresholds of a stored value, or the defaults when it is missing or no longer valid (out of
 * range, or naming a category the agency no longer has). The default force categories keep only
 * those that exist.
 */
export function thresholdsOf(value: unknown, knownCategories: readonly string[]): Thresholds {
  const parsed = stored.safeParse(value);
  if (parsed.success && parsed.data.force.categories.every((c) => knownCategories.includes(c))) {
    const categories = [...new Set(parsed.data.force.categories)];
    return { ...parsed.data, force: { ...parsed.data.force, categories } };
  }
  return {
    ...DEFAULT_THRESHOLDS,
    force: {
      ...DEFAULT_THRESHOLDS.force,
      categories: DEFAULT_THRESHOLDS.force.categories.filter((c) => knownCategories.includes(c)),
    },
  };
}

/** The start of a window of whole months ending at `now`, counted in the agency's time zone. */
export function windowStart(now: Date, months: number, timeZone: string): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).minus({ months }).toJSDate();
}

export interface Counts {
  complaints: number;
  force: number;
  sustained: number;
}

/** The measures whose count reaches its threshold, in the order of MEASURES. */
export function trippedBy(counts: Counts, thresholds: Thresholds): Measure[] {
  return MEASURES.filter((m) => counts[m] >= thresholds[m].count);
}
