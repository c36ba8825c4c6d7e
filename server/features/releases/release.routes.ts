import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { requirePermission, viewerOf } from '../../platform/http/guards.js';
import { pageQuery } from '../../platform/http/pageQuery.js';
import { MAX_CASES, REFERENCE_MAX, releaseForm } from './release.schemas.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'releases'>;

/** What a new release includes until staff choose otherwise: the safe defaults. */
const DEFAULTS: FormBody = { include: ['allegations', 'timeline', 'decision'], officers: 'sustained' };

/** Public-records releases (#19 part 5): the list, the form that makes one, and the printable release. */
export function releaseRoutes(services: Deps): Router {
  const router = Router();
  const { releases } = services;
  const maker = requirePermission('releases.make');

  const form = (req: Request, res: Response, status: number, values: FormBody, errors: FieldError[] = []) => {
    const fieldError = byField(errors);
    // Both problems of the case list (unknown numbers, undecided cases) beside the field.
    const caseErrors = errors.filter((e) => e.field === 'trackingNumbers').map((e) => e.text);
    if (caseErrors.length) fieldError['trackingNumbers'] = caseErrors.join(' ');
    res.status(status).render('staff/releases/new.njk', {
      navCurrent: 'releases',
      values,
      errors,
      fieldError,
      maxCases: MAX_CASES,
      referenceMax: REFERENCE_MAX,
      // Offered only to those who may read every case's narrative (an admin may not).
      narrativeOffered: releases.mayIncludeNarrative(viewerOf(req)),
    });
  };

  router.get('/releases', maker, async (req: Request, res: Response) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    const parsed = pageQuery.safeParse(query);
    if (!parsed.success) throw notFound();
    const page = parsed.data.page ?? 1;
    const { releases: list, pages } = await releases.list(viewerOf(req), page);
    if (page > pages) throw notFound();
    res.render('staff/releases/list.njk', { navCurrent: 'releases', releases: list, page, pages });
  });

  router.get('/releases/new', maker, (req, res) => form(req, res, 200, DEFAULTS));

  router.post('/releases', maker, async (req: Request, res: Response) => {
    const fields = answerFields(req.body, ['include']);
    const parsed = releaseForm.safeParse(fields);
    if (!parsed.success) return form(req, res, 400, fields, fieldErrors(parsed.error, req.t));
    const result = await releases.make(viewerOf(req), parsed.data, String(req.id));
    if (result.kind === 'narrativeRefused') {
      const { narrative: _refused, ...rest } = fields;
      return form(req, res, 400, rest, [{ field: 'narrative', text: req.t('releases.form.narrativeRefused') }]);
    }
    if (result.kind === 'refused') {
      const errors: FieldError[] = [];
      const list = (numbers: string[]) => numbers.join(', ');
      if (result.unknown.length) {
        errors.push({
          field: 'trackingNumbers',
          text: req.t('releases.form.unknown', { numbers: list(result.unknown) }),
        });
      }
      if (result.undecided.length) {
        const text = req.t('releases.form.undecided', { numbers: list(result.undecided) });
        errors.push({ field: 'trackingNumbers', text });
      }
      return form(req, res, 400, fields, errors);
    }
    req.session.flash = 'releases.made';
    return res.redirect(303, `/staff/releases/${result.id}`);
  });

  router.get('/releases/:id', maker, async (req: Request, res: Response) => {
    const release = await releases.view(viewerOf(req), String(req.params['id']), req.language, String(req.id));
    if (!release) throw notFound();
    res.render('staff/releases/release.njk', { navCurrent: 'releases', release });
  });

  return router;
}
