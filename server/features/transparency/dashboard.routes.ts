import { Router, type Response } from 'express';
import type { Config } from '../../platform/config.js';
import { notFound } from '../../domain/errors.js';
import { agencyDateTime, type Language } from '../../platform/i18n.js';
import { rangeQuery, reportYear } from './dashboard.schemas.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { fragmentCache, renderToString } from '../../platform/http/fragmentCache.js';

/** A query value as the form sends it: a text, or nothing. */
const queryText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value === undefined ? undefined : String(value);

/** Rendered figures kept for reuse: a 36-month dashboard is about 35,000 characters, so over a hundred. */
const FRAGMENT_CACHE_CHARACTERS = 4 * 1024 * 1024;

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'dashboard' | 'trustResults' | 'trustSurveys'>;

/**
 * The public statistics: the dashboard of any range of up to 36 months, and each year's report.
 * Every figure comes from services.dashboard, already past the small-cell rule. The figures change
 * only when the statistics are refreshed, so each range's (and year's) are rendered once per refresh
 * and language and kept: a request then costs one read of the refresh time.
 */
export function dashboardRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { dashboard } = services;
  const timeZone = config.agencyTimeZone;
  const fragments = fragmentCache({ maxCharacters: FRAGMENT_CACHE_CHARACTERS });

  const lastUpdated = async (language: Language) => {
    const at = await dashboard.lastUpdated();
    return at ? { iso: at.toISOString(), text: agencyDateTime(at, language, timeZone) } : undefined;
  };
  /** What a kept rendering is known by: everything it was made from. */
  const fragmentKey = (updated: { iso: string } | undefined, language: Language, ...rest: string[]) =>
    [updated?.iso ?? 'never', language, ...rest].join('|');

  const renderRange = (
    res: Response,
    status: number,
    locals: { errors?: FieldError[]; values: { from: string; to: string }; [key: string]: unknown },
  ) => {
    const errors = locals.errors ?? [];
    res.status(status).render('pages/dashboard/dashboard.njk', {
      ...locals,
      errors,
      fieldError: byField(errors),
      example: dashboard.currentMonth(),
    });
  };

  router.get('/dashboard', async (req, res) => {
    const query = { from: queryText(req.query['from']), to: queryText(req.query['to']) };
    const asked = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    const parsed = rangeQuery(dashboard.currentMonth()).safeParse(asked);
    if (!parsed.success) {
      const values = { from: query.from ?? '', to: query.to ?? '' };
      const errors = fieldErrors(parsed.error, req.t);
      return renderRange(res, 400, { errors, values, updated: await lastUpdated(req.language) });
    }
    const range = parsed.data;
    const updated = await lastUpdated(req.language);
    const results = await fragments(fragmentKey(updated, req.language, 'dashboard', range.from, range.to), async () =>
      renderToString(res, 'pages/dashboard/results.njk', await dashboard.dashboard(range, req.language)),
    );
    // The community trust survey's results are per wave, not per range: read from their few totals each time.
    const [trust, trustWave] = await Promise.all([
      services.trustResults.results(req.language),
      services.trustSurveys.current(),
    ]);
    // The range form stays open once a range has been asked for; the default range leads with the figures.
    return renderRange(res, 200, {
      results,
      trust,
      trustSurveyHref: trustWave && `/community-survey/${trustWave.id}`,
      values: range,
      updated,
      rangeAsked: Object.keys(asked).length > 0,
    });
  });

  router.get('/reports', async (req, res) => {
    const updated = await lastUpdated(req.language);
    const body = await fragments(fragmentKey(updated, req.language, 'reports'), async () =>
      renderToString(res, 'pages/dashboard/reportsBody.njk', { years: await dashboard.reportYears(), updated }),
    );
    res.render('pages/dashboard/reports.njk', { body });
  });

  router.get('/reports/:year', async (req, res) => {
    const parsed = reportYear.safeParse(req.params.year);
    if (!parsed.success) throw notFound();
    const year = parsed.data;
    const updated = await lastUpdated(req.language);
    // The month is part of the key: the year under way grows a month at a time.
    const key = fragmentKey(updated, req.language, 'report', String(year), dashboard.currentMonth());
    const body = await fragments(key, async () => {
      const report = await dashboard.annualReport(year, req.language);
      // Thrown, so nothing is kept: the error page answers.
      if (!report) throw notFound();
      return renderToString(res, 'pages/dashboard/reportBody.njk', {
        report,
        partial: report.current.range.to < `${report.year}-12`,
        updated,
      });
    });
    res.render('pages/dashboard/report.njk', { year, body });
  });

  return router;
}
