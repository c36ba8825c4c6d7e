import { DateTime } from 'luxon';
import type { DeadlineKind } from './complaint.machine.js';

/**
 * Deadline arithmetic, pure. Clocks count calendar dates in the agency's time zone, so a deadline
 * falls due at local midnight at the end of its last day whatever daylight saving does in between
 * (R27). Business days skip weekends and the holidays given.
 */

export type DeadlineUnit = 'business_days' | 'calendar_days' | 'months';

export interface DeadlinePolicy {
  amount: number;
  unit: DeadlineUnit;
  warnBeforeDays: number;
}

export interface Calendar {
  timeZone: string;
  /** Days off, as 'YYYY-MM-DD' in the agency's zone. */
  holidays: ReadonlySet<string>;
}

/** DESIGN.md's example policy; admins change it in the deadline_policies table. */
export const DEFAULT_POLICIES: Readonly<Record<DeadlineKind, DeadlinePolicy>> = {
  acknowledge: { amount: 5, unit: 'business_days', warnBeforeDays: 2 },
  triage: { amount: 30, unit: 'calendar_days', warnBeforeDays: 7 },
  mediation: { amount: 60, unit: 'calendar_days', warnBeforeDays: 7 },
  investigation: { amount: 180, unit: 'calendar_days', warnBeforeDays: 30 },
  board_decision: { amount: 60, unit: 'calendar_days', warnBeforeDays: 14 },
  reconsideration: { amount: 30, unit: 'calendar_days', warnBeforeDays: 0 },
  // California Gov. Code 3304(d): one year from discovery. New York practice: 18 months from the incident.
  statutory: { amount: 12, unit: 'months', warnBeforeDays: 60 },
  // The department's response to a sustained finding (#19).
  department_response: { amount: 30, unit: 'calendar_days', warnBeforeDays: 7 },
  recommendation_response: { amount: 90, unit: 'calendar_days', warnBeforeDays: 14 },
};

export interface Due {
  /** The last day, in the agency's zone. */
  dueDate: string;
  /** The instant the deadline passes: local midnight after the last day. */
  dueAt: Date;
  /** When to warn: local midnight starting the day `warnBeforeDays` before the last day. */
  warnAt: Date | null;
}

function localDay(at: Date | string, timeZone: string): DateTime {
  const dt =
    typeof at === 'string' ? DateTime.fromISO(at, { zone: timeZone }) : DateTime.fromJSDate(at, { zone: timeZone });
  if (!dt.isValid) throw new RangeError(`invalid date or time zone: ${String(at)} ${timeZone}`);
  return dt.startOf('day');
}

export function isBusinessDay(day: DateTime, calendar: Calendar): boolean {
  return day.weekday <= 5 && !calendar.holidays.has(day.toISODate()!);
}

/** The day `count` business days after `from` (not counting `from` itself). */
function addBusinessDays(from: DateTime, count: number, calendar: Calendar): DateTime {
  let day = from;
  let left = count;
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(day, calendar)) left--;
  }
  return day;
}

function addUnits(from: DateTime, amount: number, unit: DeadlineUnit, calendar: Calendar): DateTime {
  if (unit === 'business_days') return addBusinessDays(from, amount, calendar);
  if (unit === 'months') return from.plus({ months: amount }); // clamps: Jan 31 + 1 month = Feb 28/29
  return from.plus({ days: amount });
}

function dueFromLastDay(lastDay: DateTime, warnBeforeDays: number): Due {
  return {
    dueDate: lastDay.toISODate()!,
    dueAt: lastDay.plus({ days: 1 }).startOf('day').toJSDate(),
    warnAt: warnBeforeDays > 0 ? lastDay.minus({ days: warnBeforeDays }).startOf('day').toJSDate() : null,
  };
}

/** The last day (in the agency's zone) of a deadline that passes at `dueAt`. */
export function lastDayOf(dueAt: Date, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(new Date(dueAt.getTime() - 1));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A formatter of calendar days in a zone, made once per zone: making one costs far more than using it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** When a clock started at `start` (an instant, or a 'YYYY-MM-DD' local date) falls due. */
export function computeDue(start: Date | string, policy: DeadlinePolicy, calendar: Calendar): Due {
  const first = localDay(start, calendar.timeZone);
  return dueFromLastDay(addUnits(first, policy.amount, policy.unit, calendar), policy.warnBeforeDays);
}

/**
 * The due date after a pause: the clock stood still from `tolledAt` to `resumedAt`, so the last
 * day moves on by the days (or business days) that passed while tolled.
 */
export function extendForTolling(
  due: Pick<Due, 'dueDate'>,
  tolledAt: Date,
  resumedAt: Date,
  policy: DeadlinePolicy,
  calendar: Calendar,
): Due {
  const from = localDay(tolledAt, calendar.timeZone);
  const to = localDay(resumedAt, calendar.timeZone);
  let paused = 0;
  if (policy.unit === 'business_days') {
    for (let day = from.plus({ days: 1 }); day <= to; day = day.plus({ days: 1 }))
      if (isBusinessDay(day, calendar)) paused++;
  } else {
    paused = Math.round(to.diff(from, 'days').days);
  }
  const lastDay = DateTime.fromISO(due.dueDate, { zone: calendar.timeZone });
  const moved =
    policy.unit === 'business_days' ? addBusinessDays(lastDay, paused, calendar) : lastDay.plus({ days: paused });
  return dueFromLastDay(moved, policy.warnBeforeDays);
}

/** The statutory limit: by default one year from discovery; 18 months from the incident where the law says so. */
export function statutoryDue(
  basis: { discoveredOn: string | null; incidentDate: string | null; receivedAt: Date },
  rule: { from: 'discovery' | 'incident'; months: number },
  calendar: Calendar,
): Due {
  const from = rule.from === 'incident' ? basis.incidentDate : basis.discoveredOn;
  return computeDue(from ?? basis.receivedAt, { amount: rule.months, unit: 'months', warnBeforeDays: 60 }, calendar);
}
