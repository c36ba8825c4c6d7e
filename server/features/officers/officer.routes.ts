import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import type { Viewer } from '../../domain/vocabulary.js';
import {
  officerForm,
  officerId,
  officerSearchQuery,
  type OfficerForm,
  type OfficerSearchQuery,
} from './officer.schemas.js';
import type { Services } from '../../compose.js';
import { type Officer, type SaveResult } from './officer.service.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { allowed, requirePermission, viewerOf } from '../../platform/http/guards.js';
import { officerImportRoutes } from './officerImport.routes.js';

/** The officer's id of the URL, or 404: a malformed id never reaches SQL (R14). */
function idOf(req: Request): string {
  const parsed = officerId.safeParse(req.params['id']);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** Adds or changes an officer; undefined when the officer is gone. */
type Save = (viewer: Viewer, form: OfficerForm, requestId: string) => Promise<SaveResult | undefined>;

const formValues = (o: Officer): FormBody => ({
  badgeNumber: o.badgeNumber,
  firstName: o.firstName,
  lastName: o.lastName,
  rank: o.rank ?? '',
  unit: o.unit ?? '',
  district: o.district ?? '',
  active: o.active ? ['yes'] : [],
});

/** The roster's query string for a page, keeping the search. */
function pageHref(query: OfficerSearchQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return `/staff/officers${text ? `?${text}` : ''}`;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'officers'> & Parameters<typeof officerImportRoutes>[0];

/** The roster: search and pages for those who work cases; adding and editing for intake and supervisors. */
export function officerRoutes(services: Deps): Router {
  const router = Router();
  const { officers } = services;
  const editors = requirePermission('officers.edit');
  router.use('/officers', requirePermission('officers.read'));

  router.get('/officers', async (req, res) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    const values = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    const parsed = officerSearchQuery.safeParse(query);
    const locals = {
      navCurrent: 'officers',
      values,
      mayEdit: allowed(req, 'officers.edit'),
      mayView: allowed(req, 'officers.history'),
    };
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, req.t);
      return res.status(400).render('staff/officers/list.njk', { ...locals, errors, fieldError: byField(errors) });
    }
    const { q, status, page } = parsed.data;
    const active = status === 'active' ? true : status === 'inactive' ? false : undefined;
    const roster = await officers.roster(viewerOf(req), { text: q, active }, Number(page ?? '1'), req.language);
    return res.render('staff/officers/list.njk', {
      ...locals,
      errors: [],
      fieldError: {},
      roster,
      searched: Boolean(q || status),
      previousHref: roster.page > 1 ? pageHref(parsed.data, Math.min(roster.page - 1, roster.pages)) : null,
      nextHref: roster.page < roster.pages ? pageHref(parsed.data, roster.page + 1) : null,
    });
  });

  const renderForm = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    const values = (locals['values'] ?? {}) as FormBody;
    const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
    const keep = typeof values['district'] === 'string' && values['district'] ? values['district'] : null;
    const officer = locals['officer'] as Officer | null;
    res.status(status).render('staff/officers/form.njk', {
      navCurrent: 'officers',
      ...locals,
      cancelHref: officer && allowed(req, 'officers.history') ? `/staff/officers/${officer.id}` : '/staff/officers',
      errors,
      fieldError: byField(errors),
      districts: await officers.districtChoices(req.language, keep),
    });
  };

  /** Parses the form and saves it, or shows it again with its errors (400). */
  const submit = async (req: Request, res: Response, officer: Officer | null, save: Save) => {
    const fields = answerFields(req.body, ['active']);
    const parsed = officerForm.safeParse(fields);
    const again = (errors: FieldError[]) => renderForm(req, res, 400, { officer, values: fields, errors });
    if (!parsed.success) return again(fieldErrors(parsed.error, req.t));
    const result = await save(viewerOf(req), parsed.data, String(req.id));
    if (!result) throw notFound();
    if (!result.ok) return again([{ field: result.field, text: req.t(result.key) }]);
    req.session.flash = officer ? 'officers.form.updated' : 'officers.form.created';
    const next = allowed(req, 'officers.history') ? `/staff/officers/${result.id}` : '/staff/officers';
    return res.redirect(303, next);
  };
  router.get('/officers/new', editors, (req, res) =>
    renderForm(req, res, 200, { officer: null, values: { active: ['yes'] } }),
  );
  router.post('/officers/new', editors, (req, res) => submit(req, res, null, officers.create));

  router.use(officerImportRoutes(services));

  router.get('/officers/:id', requirePermission('officers.history'), async (req, res) => {
    // A page number out of range or not a number shows the first page.
    const asked = Number(req.query['page']);
    const number = Number.isSafeInteger(asked) && asked >= 1 && asked <= 100_000 ? asked : 1;
    const page = await officers.view(viewerOf(req), idOf(req), req.language, String(req.id), number);
    if (!page) throw notFound();
    const at = (n: number) => `/staff/officers/${page.officer.id}${n > 1 ? `?page=${n}` : ''}`;
    res.render('staff/officers/show.njk', {
      navCurrent: 'officers',
      ...page,
      previousHref: page.page > 1 ? at(Math.min(page.page - 1, page.pages)) : undefined,
      nextHref: page.page < page.pages ? at(page.page + 1) : undefined,
    });
  });

  const editable = async (req: Request) => {
    const officer = await officers.forEdit(viewerOf(req), idOf(req), req.language);
    if (!officer) throw notFound();
    return officer;
  };

  router.get('/officers/:id/edit', editors, async (req, res) => {
    const officer = await editable(req);
    await renderForm(req, res, 200, { officer, values: formValues(officer) });
  });

  router.post('/officers/:id/edit', editors, async (req, res) => {
    const officer = await editable(req);
    await submit(req, res, officer, (viewer, form, requestId) => officers.update(viewer, officer.id, form, requestId));
  });

  return router;
}
