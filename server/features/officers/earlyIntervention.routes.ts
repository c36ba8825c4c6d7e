import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import type { Language } from '../../platform/i18n.js';
import { formatDay } from '../../platform/dates.js';
import { disparityQuery, thresholdsForm } from './earlyIntervention.schemas.js';
import { pageQuery } from '../../platform/http/pageQuery.js';

import type { Thresholds } from './earlyIntervention.rules.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { renderAdmin } from '../admin/adminHome.routes.js';
import { allowed, requirePermission, staffUser, viewerOf } from '../../platform/http/guards.js';

/** The query string without the language switch, as strings for the form. */
function queryOf(req: Request) {
  const { lang: _lang, ...query } = req.query as Record<string, unknown>;
  const values = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
  return { query, values };
}

/** A day YYYY-MM-DD as the reader reads it (the day itself: no time zone moves it). */
const dayLabel = (day: string, language: Language) => formatDay(day, language);

/** The saved thresholds as the form's values. */
const valuesOf = (t: Thresholds): FormBody => ({
  complaintsCount: String(t.complaints.count),
  complaintsMonths: String(t.complaints.months),
  forceCount: String(t.force.count),
  forceMonths: String(t.force.months),
  forceCategories: t.force.categories,
  sustainedCount: String(t.sustained.count),
  sustainedMonths: String(t.sustained.months),
});

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'earlyIntervention'>;

/**
 * Early intervention for supervisors (/staff/early-intervention): the flagged officers and the
 * disparity view; and the admin's thresholds (/staff/admin/early-intervention).
 */
export function earlyInterventionRoutes(services: Deps): Router {
  const router = Router();
  const { earlyIntervention } = services;
  const supervisor = requirePermission('officers.history');

  router.get('/early-intervention', supervisor, async (req, res) => {
    const parsed = pageQuery.safeParse(queryOf(req).query);
    if (!parsed.success) throw notFound();
    const page = parsed.data.page ?? 1;
    const flags = await earlyIntervention.flags(viewerOf(req), page, req.language, String(req.id));
    if (page > flags.pages) throw notFound();
    const href = (n: number) => `/staff/early-intervention${n > 1 ? `?page=${n}` : ''}`;
    const period = (months: number) =>
      months === 1 ? req.t('earlyIntervention.period.one') : req.t('earlyIntervention.period.other', { months });
    res.render('staff/early-intervention/flags.njk', {
      navCurrent: 'earlyIntervention',
      ...flags,
      periods: {
        complaints: period(flags.thresholds.complaints.months),
        force: period(flags.thresholds.force.months),
        sustained: period(flags.thresholds.sustained.months),
      },
      mayChange: allowed(req, 'earlyIntervention.configure'),
      previousHref: page > 1 ? href(page - 1) : null,
      nextHref: page < flags.pages ? href(page + 1) : null,
    });
  });

  const disparityPage = (res: Response, status: number, locals: Record<string, unknown>) => {
    const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
    res.status(status).render('staff/early-intervention/disparity.njk', {
      navCurrent: 'earlyIntervention',
      ...locals,
      errors,
      fieldError: byField(errors),
    });
  };

  router.get('/early-intervention/disparity', supervisor, async (req, res) => {
    const { query, values } = queryOf(req);
    const parsed = disparityQuery.safeParse(query);
    if (!parsed.success) {
      return disparityPage(res, 400, { errors: fieldErrors(parsed.error, req.t), values });
    }
    const window = earlyIntervention.windowOf(parsed.data);
    if (window.from > window.to) {
      // A start after today with the end left blank.
      const errors = [{ field: 'from', text: req.t('earlyIntervention.disparity.fromAfterToday') }];
      return disparityPage(res, 400, { errors, values });
    }
    const view = await earlyIntervention.disparity(viewerOf(req), window);
    return disparityPage(res, 200, {
      view,
      values: window,
      fromLabel: dayLabel(window.from, req.language),
      toLabel: dayLabel(window.to, req.language),
      labelPrefix: { ageRange: 'age', gender: 'gender', race: 'race' },
    });
  });

  const admin = requirePermission('earlyIntervention.configure');

  const settingsPage = async (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const categories = await earlyIntervention.categories(req.language);
    renderAdmin(res, 'early-intervention', status, {
      values: valuesOf(await earlyIntervention.thresholds()),
      categoryOptions: categories.map((c) => ({
        value: c.code,
        label: c.active ? c.name : req.t('earlyIntervention.settings.retired', { name: c.name }),
      })),
      ...locals,
    });
  };

  router.get('/admin/early-intervention', admin, (req, res) => settingsPage(req, res, 200));

  router.post('/admin/early-intervention', admin, async (req, res) => {
    const fields = answerFields(req.body, ['forceCategories']);
    const codes = (await earlyIntervention.categories(req.language)).map((c) => c.code);
    const parsed = thresholdsForm(codes).safeParse(fields);
    if (!parsed.success) {
      return settingsPage(req, res, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    }
    await earlyIntervention.saveThresholds(staffUser(req).id, parsed.data, String(req.id));
    req.session.flash = 'earlyIntervention.settings.saved';
    return res.redirect(303, '/staff/admin/early-intervention');
  });

  return router;
}
