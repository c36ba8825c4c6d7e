import { expect } from 'chai';
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import {
  DEFAULT_POLICIES,
  computeDue,
  extendForTolling,
  lastDayOf,
  statutoryDue,
  type Calendar,
} from '../../workflows/deadline.policy.js';

const ZONE = 'America/Los_Angeles';
const holidays = new Set(
  [2024, 2025, 2026, 2027, 2028, 2029].flatMap((year) =>
    new Holidays('US', 'CA')
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10)),
  ),
);
const calendar: Calendar = { timeZone: ZONE, holidays };

/** An independent reading of a local date and time, through Intl only. */
function local(at: Date, zone = ZONE): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}

/** Calendar arithmetic on 'YYYY-MM-DD' strings with UTC dates: no time zones involved. */
function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
}
const isBusiness = (date: string) => weekday(date) !== 0 && weekday(date) !== 6 && !holidays.has(date);

const instants = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2028-12-31T00:00:00Z'),
  noInvalidDate: true,
});

describe('deadline arithmetic in the agency’s time zone (R27)', () => {
  it('calendar days: 10,000 generated starts, across every daylight-saving change of five years', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 30 }), (start, days, warn) => {
        const due = computeDue(start, { amount: days, unit: 'calendar_days', warnBeforeDays: warn }, calendar);
        expect(due.dueDate).to.equal(plusDays(local(start).date, days));
        expect(lastDayOf(due.dueAt, ZONE)).to.equal(due.dueDate);
        // It falls due at local midnight after the last day, whatever the UTC offset is then.
        expect(local(due.dueAt)).to.deep.equal({ date: plusDays(due.dueDate, 1), time: '00:00' });
        if (warn > 0) expect(local(due.warnAt!)).to.deep.equal({ date: plusDays(due.dueDate, -warn), time: '00:00' });
        else expect(due.warnAt).to.equal(null);
      }),
      { numRuns: 10_000 },
    );
  });

  it('business days skip weekends and California holidays (2,000 generated starts)', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 40 }), (start, count) => {
        const due = computeDue(start, { amount: count, unit: 'business_days', warnBeforeDays: 0 }, calendar);
        let counted = 0;
        for (let day = plusDays(local(start).date, 1); day <= due.dueDate; day = plusDays(day, 1)) {
          if (isBusiness(day)) counted++;
        }
        expect(counted).to.equal(count);
        expect(isBusiness(due.dueDate)).to.equal(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('acknowledgement over Thanksgiving: 5 business days from Wednesday 25 November 2026 end on 4 December', () => {
    const due = computeDue(new Date('2026-11-25T18:00:00Z'), DEFAULT_POLICIES.acknowledge, calendar);
    expect(due.dueDate).to.equal('2026-12-04');
    expect(due.dueAt.toISOString()).to.equal('2026-12-05T08:00:00.000Z');
  });

  it('a deadline on the day clocks spring forward or fall back is due at that zone’s midnight', () => {
    const spring = computeDue(
      new Date('2026-03-06T18:00:00Z'),
      { amount: 2, unit: 'calendar_days', warnBeforeDays: 0 },
      calendar,
    );
    expect(spring.dueDate).to.equal('2026-03-08');
    expect(spring.dueAt.toISOString()).to.equal('2026-03-09T07:00:00.000Z'); // PDT, UTC-7
    const beforeFall = computeDue('2026-10-30', { amount: 1, unit: 'calendar_days', warnBeforeDays: 0 }, calendar);
    expect(beforeFall.dueAt.toISOString()).to.equal('2026-11-01T07:00:00.000Z'); // midnight PDT
    const fall = computeDue('2026-10-31', { amount: 1, unit: 'calendar_days', warnBeforeDays: 0 }, calendar);
    expect(fall.dueAt.toISOString()).to.equal('2026-11-02T08:00:00.000Z'); // midnight PST, UTC-8
  });

  it('a start late in the evening counts from the agency’s date, not UTC’s', () => {
    // 23:30 in Los Angeles on 10 January is already 11 January in UTC.
    const due = computeDue(
      new Date('2026-01-11T07:30:00Z'),
      { amount: 1, unit: 'calendar_days', warnBeforeDays: 0 },
      calendar,
    );
    expect(due.dueDate).to.equal('2026-01-11');
  });

  it('tolling moves the due date by the days the clock stood still', () => {
    const due = computeDue('2026-01-10', DEFAULT_POLICIES.investigation, calendar);
    expect(due.dueDate).to.equal('2026-07-09');
    const moved = extendForTolling(
      due,
      new Date('2026-02-01T20:00:00Z'),
      new Date('2026-03-15T20:00:00Z'),
      DEFAULT_POLICIES.investigation,
      calendar,
    );
    expect(moved.dueDate).to.equal(plusDays('2026-07-09', 42));
  });

  it('tolling a business-day clock moves it by the business days paused', () => {
    const policy = { amount: 10, unit: 'business_days' as const, warnBeforeDays: 0 };
    const due = computeDue('2026-11-02', policy, calendar); // Monday
    const moved = extendForTolling(
      due,
      new Date('2026-11-09T20:00:00Z'),
      new Date('2026-11-16T20:00:00Z'),
      policy,
      calendar,
    );
    // 10 to 16 November: 10, 12, 13, 16 are business days; 11 (Veterans Day), 14 and 15 are not.
    expect(moved.dueDate).to.equal('2026-11-23');
  });

  it('statutory limit: one year from discovery, or 18 months from the incident, clamped to month ends', () => {
    const receivedAt = new Date('2026-03-02T17:00:00Z');
    const discovery = statutoryDue(
      { discoveredOn: '2026-02-28', incidentDate: '2025-08-31', receivedAt },
      { from: 'discovery', months: 12 },
      calendar,
    );
    expect(discovery.dueDate).to.equal('2027-02-28');
    const incident = statutoryDue(
      { discoveredOn: '2026-02-28', incidentDate: '2025-08-31', receivedAt },
      { from: 'incident', months: 18 },
      calendar,
    );
    expect(incident.dueDate).to.equal('2027-02-28');
    const fallback = statutoryDue(
      { discoveredOn: null, incidentDate: null, receivedAt },
      { from: 'discovery', months: 12 },
      calendar,
    );
    expect(fallback.dueDate).to.equal('2027-03-02');
  });

  it('works in another zone too (New York)', () => {
    const ny: Calendar = { timeZone: 'America/New_York', holidays: new Set() };
    const due = computeDue(
      new Date('2026-03-07T12:00:00Z'),
      { amount: 1, unit: 'calendar_days', warnBeforeDays: 0 },
      ny,
    );
    expect(due.dueDate).to.equal('2026-03-08');
    expect(due.dueAt.toISOString()).to.equal('2026-03-09T04:00:00.000Z'); // EDT, UTC-4
  });

  it('refuses an unknown time zone', () => {
    expect(() =>
      computeDue(new Date(), DEFAULT_POLICIES.triage, { timeZone: 'Mars/Olympus', holidays: new Set() }),
    ).to.throw(RangeError);
  });
});

describe('the last day of a deadline, as a calendar day in a zone', () => {
  it('is the day, in the zone, of the last instant before it is due, in any zone and season', () => {
    const zones = [
      'America/Los_Angeles',
      'America/New_York',
      'Pacific/Honolulu',
      'Europe/London',
      'Asia/Kolkata',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const expected = DateTime.fromMillis(ms - 1, { zone }).toISODate();
          expect(lastDayOf(new Date(ms), zone)).to.equal(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
