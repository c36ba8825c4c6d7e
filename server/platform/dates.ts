import type { Language } from '../domain/vocabulary.js';

/**
 * The two kinds of date the app shows, each with its one formatter (issue #17):
 *
 * - a calendar day, 'YYYY-MM-DD' (a `date` column, a form's date, a deadline's last day), is that
 *   day wherever anyone reads it: it never passes through a time zone;
 * - an instant (a `timestamptz`, a Date) is read on the agency's clock: in the agency's time zone.
 *
 * Making an Intl.DateTimeFormat costs far more than using one: each is made once per locale, zone
 * and style, and kept (two locales, the agency's zone and UTC: a handful in all).
 */

/** The locale that dates and numbers are written in for a language. */
export const localeOf = (language: Language) => (language === 'es' ? 'es-US' : 'en-US');

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(language: Language, timeZone: string, style: string, options: Intl.DateTimeFormatOptions) {
  const locale = localeOf(language);
  const key = `${locale}|${timeZone}|${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Noon UTC of a calendar day, or undefined when `value` is not a real 'YYYY-MM-DD' day (2026-02-30 is not). */
function noonOf(value: string): Date | undefined {
  if (!CALENDAR_DAY.test(value)) return undefined;
  const noon = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(noon.getTime()) && noon.toISOString().startsWith(value) ? noon : undefined;
}

/** Whether `value` is a calendar day written 'YYYY-MM-DD'. */
export const isCalendarDay = (value: unknown): value is string => typeof value === 'string' && !!noonOf(value);

export type DayStyle = 'long' | 'full';

/**
 * A calendar day as the reader reads it: "November 26, 2026", "26 de noviembre de 2026" ('full'
 * adds the weekday). The day is read in UTC at its noon, so no zone, the server's included, can
 * move it. Text that is not a calendar day (a resident's own answer) is given back as it is.
 */
export function formatDay(day: string, language: Language, style: DayStyle = 'long'): string {
  const noon = noonOf(day);
  return noon ? formatFor(language, 'UTC', `day-${style}`, { dateStyle: style }).format(noon) : day;
}

/** A long date and time with the zone named, the public pages' way of saying when. */
const DATE_TIME_ZONE: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const INSTANT_STYLES = {
  /** "November 26, 2026": the agency's day of the instant. */
  date: { dateStyle: 'long' },
  /** "Nov 26, 2026, 9:30 PM". */
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  /** "November 26, 2026 at 9:30 PM PST": for the public, with the zone named. */
  dateTimeZone: DATE_TIME_ZONE,
  /** "Thursday, November 26, 2026 at 9:30 PM PST". */
  weekdayDateTimeZone: { weekday: 'long', ...DATE_TIME_ZONE },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type InstantStyle = keyof typeof INSTANT_STYLES;

/**
 * An instant (a Date, or an ISO date and time) as the agency's clock read it. A bare calendar day
 * is no instant and is shown as that day; text that is no date at all is given back as it is.
 */
export function formatInstant(at: Date | string, language: Language, timeZone: string, style: InstantStyle): string {
  if (typeof at === 'string' && CALENDAR_DAY.test(at)) return formatDay(at, language);
  const instant = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(instant.getTime())) return String(at);
  return formatFor(language, timeZone, style, INSTANT_STYLES[style]).format(instant);
}
