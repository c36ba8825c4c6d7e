import { expect } from 'chai';
import express from 'express';
import { formatDay, formatInstant, isCalendarDay } from '../../server/platform/dates.js';
import { setUpViews } from '../../server/platform/views.js';

const WEST = 'America/Los_Angeles'; // UTC-8 in November
const EAST = 'Pacific/Kiritimati'; // UTC+14

/** The app's Nunjucks filters for an agency in `timeZone`. */
function filters(timeZone: string) {
  const env = setUpViews(express(), { agencyName: 'Test', development: false, timeZone });
  return (template: string, context: Record<string, unknown>) => env.renderString(template, context);
}

describe('dates: a calendar day and an instant, one formatter each (#17)', () => {
  it('shows a calendar day as that day, in either language, whatever the zone', () => {
    expect(formatDay('2026-11-26', 'en')).to.equal('November 26, 2026');
    expect(formatDay('2026-11-26', 'es')).to.equal('26 de noviembre de 2026');
    expect(formatDay('2026-12-11', 'en', 'full')).to.equal('Friday, December 11, 2026');
    for (const zone of [WEST, 'UTC', EAST]) {
      const render = filters(zone);
      // Read as an instant, 2026-11-26 is UTC midnight: November 25 west of UTC.
      for (const filter of ['day', 'localDate']) {
        expect(render(`{{ d | ${filter}('en') }}`, { d: '2026-11-26' }), `${filter} in ${zone}`).to.equal(
          'November 26, 2026',
        );
        expect(render(`{{ d | ${filter}('es') }}`, { d: '2026-11-26' }), `${filter} in ${zone}`).to.equal(
          '26 de noviembre de 2026',
        );
      }
    }
  });

  it('gives back text that is no calendar day, and refuses an instant where a day belongs', () => {
    expect(isCalendarDay('2026-02-28')).to.equal(true);
    for (const text of ['2026-02-30', '26/11/2026', 'last Tuesday', '']) {
      expect(isCalendarDay(text), text).to.equal(false);
      expect(formatDay(text, 'en')).to.equal(text);
    }
    const render = filters(WEST);
    expect(render(`{{ d | day('en') }}|{{ n | day('en') }}`, { d: undefined, n: null })).to.equal('|');
    expect(() => render(`{{ d | day('en') }}`, { d: new Date('2026-11-26T00:00:00Z') })).to.throw(/YYYY-MM-DD/);
  });

  it('shows an instant late in the evening on the agency’s day and clock', () => {
    // 9:30 p.m. on November 26 in Los Angeles is already November 27 in UTC.
    const evening = new Date('2026-11-27T05:30:00Z');
    expect(formatInstant(evening, 'en', WEST, 'date')).to.equal('November 26, 2026');
    expect(formatInstant(evening, 'en', 'UTC', 'date')).to.equal('November 27, 2026');
    expect(formatInstant(evening, 'en', WEST, 'dateTime')).to.equal('Nov 26, 2026, 9:30 PM');
    expect(formatInstant(evening.toISOString(), 'es', WEST, 'dateTime')).to.match(/^26 nov 2026, 9:30\sp\.\s?m\.$/);
    // 9:30 p.m. on November 26 at UTC+14 is still the morning of the 26th in UTC.
    const eastEvening = new Date('2026-11-26T07:30:00Z');
    expect(formatInstant(eastEvening, 'en', EAST, 'date')).to.equal('November 26, 2026');
    const render = filters(EAST);
    expect(render(`{{ at | localDate('en') }} · {{ at | localDateTime('en') }}`, { at: eastEvening })).to.equal(
      'November 26, 2026 · Nov 26, 2026, 9:30 PM',
    );
    expect(formatInstant('not a time', 'en', WEST, 'date')).to.equal('not a time');
  });

  it('shows a deadline by its last day, not the midnight after it, in the agency’s zone west and east', () => {
    // The acknowledgement clock whose last day is Friday December 11 passes at the local midnight
    // that starts Saturday December 12.
    for (const [zone, dueAt] of [
      [WEST, '2026-12-12T08:00:00.000Z'],
      [EAST, '2026-12-11T10:00:00.000Z'],
    ] as const) {
      const render = filters(zone);
      expect(render(`{{ due | lastDay('en') }}`, { due: new Date(dueAt) }), zone).to.equal('December 11, 2026');
      expect(render(`{{ due | lastDay('es') }}`, { due: dueAt }), zone).to.equal('11 de diciembre de 2026');
    }
  });

  it('makes each Intl.DateTimeFormat once, not once a call', () => {
    const Original = Intl.DateTimeFormat;
    let made = 0;
    const counting = new Proxy(Original, {
      construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        made++;
        return new target(...args);
      },
    });
    const at = new Date('2026-11-27T05:30:00Z');
    const render = filters(WEST);
    const page = `{{ d | day(lang) }} {{ at | localDate(lang) }} {{ at | localDateTime(lang) }} {{ at | lastDay(lang) }}`;
    const all = () => {
      for (const language of ['en', 'es'] as const) {
        formatDay('2026-11-26', language);
        for (const style of ['date', 'dateTime', 'dateTimeZone'] as const) formatInstant(at, language, WEST, style);
        render(page, { d: '2026-11-26', at, lang: language });
      }
    };
    all();
    Intl.DateTimeFormat = counting;
    try {
      for (let i = 0; i < 100; i++) all();
    } finally {
      Intl.DateTimeFormat = Original;
    }
    expect(made).to.equal(0);
  });
});
