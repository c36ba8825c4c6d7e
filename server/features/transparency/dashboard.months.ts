/** Month arithmetic for the dashboard: ranges of 'YYYY-MM' months, their length and their rollup bounds. */

/** The longest range the dashboard shows at once. */
export const MAX_MONTHS = 36;

/** The range shown when none is asked for (and how far back a blank "from" reaches): the last 12 months. */
export const DEFAULT_MONTHS = 12;

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
