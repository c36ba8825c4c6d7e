import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import nunjucks from 'nunjucks';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

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
  // A day as residents read it: in the agency's time zone, in the page's language.
  env.addFilter('localDate', (value: Date | string, language: string) =>
    new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
      dateStyle: 'long',
      timeZone: options.timeZone,
    }).format(new Date(value)),
  );
  // A deadline falls due at local midnight after its last day: show that last day.
  env.addFilter('lastDay', (value: Date | string, language: string) =>
    new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
      dateStyle: 'long',
      timeZone: options.timeZone,
    }).format(new Date(new Date(value).getTime() - 1)),
  );
  env.addFilter('localDateTime', (value: Date | string, language: string) =>
    new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: options.timeZone,
    }).format(new Date(value)),
  );
  env.addFilter('base64', (value: string) => Buffer.from(String(value)).toString('base64'));
  app.set('view engine', 'njk');
  return env;
}
