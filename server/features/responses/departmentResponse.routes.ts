import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import { DISCIPLINES } from '../../domain/vocabulary.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { requirePermission, viewerOf } from '../../platform/http/guards.js';
import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { responseForm } from './departmentResponse.schemas.js';
import { allegationName } from './departmentResponse.view.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'departmentResponses'>;

/** The case id of the URL, or 404: a malformed id never reaches SQL. */
function caseIdOf(req: Request): string {
  const id = req.params['id'];
  if (!isId(id)) throw notFound();
  return id;
}

/**
 * The department's responses to sustained findings (#19 part 1), for supervisors and admins:
 * the responses awaited (/staff/responses), and a case's responses with the form of a new entry
 * (/staff/responses/:id). A new entry is added, never an edit (post/redirect/get).
 */
export function departmentResponseRoutes(services: Deps): Router {
  const router = Router();
  const { departmentResponses } = services;
  const recorder = requirePermission('responses.record');

  router.get('/responses', recorder, async (req, res) => {
    const overview = await departmentResponses.overview(viewerOf(req));
    res.render('staff/responses/list.njk', { navCurrent: 'responses', ...overview });
  });

  const casePage = async (
    req: Request,
    res: Response,
    status = 200,
    form: { errors?: FieldError[]; values?: FormBody; conflict?: boolean } = {},
  ) => {
    const view = await departmentResponses.forCase(viewerOf(req), caseIdOf(req), String(req.id));
    const errors = form.errors ?? [];
    const only = view.allegations.length === 1 ? view.allegations[0]!.id : '';
    res.status(status).render('staff/responses/case.njk', {
      navCurrent: 'responses',
      view,
      allegationChoices: view.allegations.map((a) => ({ value: a.id, label: allegationName(a, req.language) })),
      disciplines: DISCIPLINES.map((value) => ({ value, label: req.t(`responses.discipline.${value}`) })),
      values: form.values ?? { allegation: only },
      conflict: form.conflict === true,
      errors,
      fieldError: byField(errors),
    });
  };

  router.get('/responses/:id', recorder, (req, res) => casePage(req, res));

  router.post('/responses/:id', recorder, async (req, res) => {
    const id = caseIdOf(req);
    const values = answerFields(req.body);
    const parsed = responseForm.safeParse(values);
    if (!parsed.success) return casePage(req, res, 400, { errors: fieldErrors(parsed.error, req.t), values });
    await orShowOnPage(
      async () => {
        await departmentResponses.record(viewerOf(req), id, parsed.data, String(req.id));
        req.session.flash = 'responses.recorded';
        res.redirect(303, `/staff/responses/${id}`);
      },
      (problem) =>
        casePage(req, res, problem.status, {
          errors: fieldMessages(req, problem),
          values,
          conflict: problem.code === 'conflict',
        }),
    );
  });

  return router;
}
