import path from 'node:path';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import type { Language } from '../domain/vocabulary.js';
import { lastDayOf } from '../../workflows/deadline.policy.js';
import { formatDay, formatInstant, localeOf } from './dates.js';
import { ROOT } from './paths.js';

export const VIEWS_DIR = path.join(ROOT, 'views');

/** Nunjucks with autoescaping on; templates are cached outside development. */
export function setUpViews(
  app: Express,
  options: { agencyName: string; development: boolean; timeZone: string },
): nunjucks.Environment {
  const env = nunjucks.configure(VIEWS_DIR, {
    autoescape: true,
    throwOnUndefined: false,
    noCache: options.development,
    express: app,
  });
  env.addGlobal('agencyName', options.agencyName);
  env.addGlobal('showDevBanner', options.development);
  // Two kinds of date, one formatter each (dates.ts). A calendar day ('YYYY-MM-DD': an incident
  // date, a holiday) is that day, through no time zone; an instant is read in the agency's zone.
  const { timeZone } = options;
  env.addFilter('day', (value: string | null | undefined, language: Language) => {
    if (value === null || value === undefined || value === '') return '';
    if (typeof value !== 'string') throw new TypeError(`the day filter takes a 'YYYY-MM-DD' day, not ${typeof value}`);
    return formatDay(value, language);
  });
  // The agency's day of an instant ("received on").
  env.addFilter('localDate', (value: Date | string | null | undefined, language: Language) =>
    value === null || value === undefined ? '' : formatInstant(value, language, timeZone, 'date'),
  );
  // A deadline falls due at local midnight after its last day: show that last day, as a day.
  env.addFilter('lastDay', (value: Date | string | null | undefined, language: Language) => {
    if (value === null || value === undefined) return '';
    const dueAt = new Date(value);
    return Number.isNaN(dueAt.getTime()) ? String(value) : formatDay(lastDayOf(dueAt, timeZone), language);
  });
  env.addFilter('localDateTime', (value: Date | string | null | undefined, language: Language) =>
    value === null || value === undefined ? '' : formatInstant(value, language, timeZone, 'dateTime'),
  );
  // A count as the reader writes numbers: "20,000".
  env.addFilter('number', (value: number, language: Language) =>
    new Intl.NumberFormat(localeOf(language)).format(value),
  );
  env.addFilter('base64', (value: string) => Buffer.from(String(value)).toString('base64'));
  app.set('view engine', 'njk');
  return env;
}
