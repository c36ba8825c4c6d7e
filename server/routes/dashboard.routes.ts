import { Router, type Response } from 'express';
import type { Config } from '../config.js';
import { notFound } from '../errors.js';
import { agencyDateTime, type Language } from '../i18n.js';
import { rangeQuery, reportYear } from '../schemas/dashboard.schemas.js';
import type { Services } from '../services/index.js';
import { byField, fieldErrors, type FieldError } from './formErrors.js';

/** A query value as the form sends it: a text, or nothing. */
const queryText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value === undefined ? undefined : String(value);

/**
 * The public statistics: the dashboard of any range of up to 36 months, and each year's report.
 * Every figure comes from services.dashboard, already past the small-cell rule.
 */
export function dashboardRoutes(services: Services, config: Config): Router {
  const router = Router();
  const { dashboard } = services;
  const timeZone = config.agencyTimeZone;

  const lastUpdated = async (language: Language) => {
    const at = await dashboard.lastUpdated();
    return at ? { iso: at.toISOString(), text: agencyDateTime(at, language, timeZone) } : undefined;
  };

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
    const view = await dashboard.dashboard(range, req.language);
    return renderRange(res, 200, {
      ...view,
      values: range,
      updated: await lastUpdated(req.language),
    });
  });

  router.get('/reports', async (req, res) => {
    const years = await dashboard.reportYears();
    res.render('pages/dashboard/reports.njk', { years, updated: await lastUpdated(req.language) });
  });

  router.get('/reports/:year', async (req, res) => {
    const parsed = reportYear.safeParse(req.params.year);
    if (!parsed.success) throw notFound();
    const report = await dashboard.annualReport(parsed.data, req.language);
    if (!report) throw notFound();
    res.render('pages/dashboard/report.njk', {
      report,
      partial: report.current.range.to < `${report.year}-12`,
      updated: await lastUpdated(req.language),
    });
  });

  return router;
}
