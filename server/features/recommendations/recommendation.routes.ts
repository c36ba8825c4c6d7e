import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { allowed, requirePermission, viewerOf } from '../../platform/http/guards.js';
import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import {
  IMPLEMENTATION_STATUSES,
  RESPONSE_STATUSES,
  recommendationForm,
  updateForm,
} from './recommendation.schemas.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'recommendations' | 'recommendationVotes'>;

type Form = { errors?: FieldError[]; values?: FormBody; conflict?: string };

function idOf(req: Request): string {
  const id = req.params['id'];
  if (!isId(id)) throw notFound();
  return id;
}

/** A recommendation's stored texts as the form's values. */
const valuesOf = (texts: Record<string, unknown>, cases: Array<{ trackingNumber: string }>): FormBody => ({
  titleEn: String(texts['title_en']),
  titleEs: String(texts['title_es']),
  bodyEn: String(texts['body_en']),
  bodyEs: String(texts['body_es']),
  basisEn: String(texts['basis_en']),
  basisEs: String(texts['basis_es']),
  cases: cases.map((c) => c.trackingNumber).join('\n'),
});

/**
 * Policy recommendations for staff (#19 part 3): the list, a new draft, a draft's page (edit, put
 * on a meeting's agenda) and an adopted one's (the department's response, implementation updates).
 */
export function recommendationRoutes(services: Deps): Router {
  const router = Router();
  const { recommendations, recommendationVotes } = services;
  const drafter = requirePermission('recommendations.draft');

  router.get('/recommendations', drafter, async (req, res) => {
    const list = await recommendations.list(viewerOf(req), req.language);
    res.render('staff/recommendations/list.njk', { navCurrent: 'recommendations', list });
  });

  const newPage = (req: Request, res: Response, status: number, form: Form = {}) => {
    const errors = form.errors ?? [];
    res.status(status).render('staff/recommendations/new.njk', {
      navCurrent: 'recommendations',
      mayLinkCases: allowed(req, 'cases.readAll'),
      values: form.values ?? {},
      errors,
      fieldError: byField(errors),
    });
  };
  router.get('/recommendations/new', drafter, (req, res) => newPage(req, res, 200));
  router.post('/recommendations', drafter, async (req, res) => {
    const values = answerFields(req.body);
    const parsed = recommendationForm.safeParse(values);
    if (!parsed.success) return newPage(req, res, 400, { errors: fieldErrors(parsed.error, req.t), values });
    await orShowOnPage(
      async () => {
        const id = await recommendations.create(viewerOf(req), parsed.data, String(req.id));
        req.session.flash = 'recommendations.created';
        res.redirect(303, `/staff/recommendations/${id}`);
      },
      (problem) => newPage(req, res, problem.status, { errors: fieldMessages(req, problem), values }),
    );
  });

  const showPage = async (req: Request, res: Response, status = 200, form: Form & { openForm?: string } = {}) => {
    const found = await recommendations.get(viewerOf(req), idOf(req), req.language);
    const errors = form.errors ?? [];
    res.status(status).render('staff/recommendations/show.njk', {
      navCurrent: 'recommendations',
      ...found,
      organiser: allowed(req, 'board.organise'),
      statuses: [
        ...RESPONSE_STATUSES.map((value) => ({
          value,
          label: req.t('recommendations.form.responseStatus', { status: req.t(`recommendations.status.${value}`) }),
        })),
        ...IMPLEMENTATION_STATUSES.map((value) => ({
          value,
          label: req.t('recommendations.form.implementationStatus', {
            status: req.t(`recommendations.status.${value}`),
          }),
        })),
      ],
      values: form.values ?? valuesOf(found.texts, found.cases),
      openForm: form.openForm,
      conflict: form.conflict,
      errors,
      fieldError: byField(errors),
    });
  };
  router.get('/recommendations/:id', drafter, (req, res) => showPage(req, res));

  /** A form of the recommendation's page: parsed, done, then back to the page (post/redirect/get). */
  const onPage =
    (
      openForm: string,
      schema: typeof recommendationForm | typeof updateForm,
      act: (req: Request, id: string, data: never) => Promise<unknown>,
      flash: string,
    ) =>
    async (req: Request, res: Response) => {
      const id = idOf(req);
      const values = answerFields(req.body);
      const parsed = schema.safeParse(values);
      if (!parsed.success)
        return showPage(req, res, 400, { errors: fieldErrors(parsed.error, req.t), values, openForm });
      await orShowOnPage(
        async () => {
          await act(req, id, parsed.data as never);
          req.session.flash = flash;
          res.redirect(303, `/staff/recommendations/${id}`);
        },
        (problem) =>
          showPage(req, res, problem.status, {
            errors: fieldMessages(req, problem),
            values,
            openForm,
            ...(problem.code === 'conflict' ? { conflict: problem.reason ?? 'conflict' } : {}),
          }),
      );
    };

  router.post(
    '/recommendations/:id',
    drafter,
    onPage(
      'edit',
      recommendationForm,
      (req, id, data) => recommendations.edit(viewerOf(req), id, data, String(req.id)),
      'recommendations.saved',
    ),
  );
  router.post(
    '/recommendations/:id/updates',
    drafter,
    onPage(
      'update',
      updateForm,
      (req, id, data) => recommendations.recordUpdate(viewerOf(req), id, data, String(req.id)),
      'recommendations.updateRecorded',
    ),
  );
  router.post('/recommendations/:id/agenda', requirePermission('board.organise'), async (req, res) => {
    const id = idOf(req);
    const meetingId = answerFields(req.body)['meetingId'];
    if (typeof meetingId !== 'string' || !isId(meetingId)) {
      return showPage(req, res, 400, {
        errors: [{ field: 'meetingId', text: req.t('recommendations.field.meetingChoose') }],
        openForm: 'agenda',
      });
    }
    await orShowOnPage(
      async () => {
        await recommendationVotes.addToAgenda(viewerOf(req), meetingId, id, String(req.id));
        req.session.flash = 'recommendations.onAgenda';
        res.redirect(303, `/staff/board/meetings/${meetingId}/recommendations`);
      },
      (problem) => showPage(req, res, problem.status, { openForm: 'agenda', conflict: problem.reason ?? 'conflict' }),
    );
  });

  return router;
}
