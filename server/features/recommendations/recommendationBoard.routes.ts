import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { requirePermission, viewerOf } from '../../platform/http/guards.js';
import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { agendaForm, voteForm } from './recommendation.schemas.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'recommendationVotes'>;

function idOf(req: Request, name: string): string {
  const id = req.params[name];
  if (!isId(id)) throw notFound();
  return id;
}

/**
 * A meeting's policy recommendations (#19 part 3), beside its cases: what is on the agenda with the
 * count so far, each seated member's ballot while the vote is open, and the organiser's form to put
 * a draft on the agenda. /staff/board/meetings/:id/recommendations, linked from the meeting's page.
 */
export function recommendationBoardRoutes(services: Deps): Router {
  const router = Router();
  const { recommendationVotes } = services;
  const page = async (
    req: Request,
    res: Response,
    meetingId: string,
    status = 200,
    form: { errors?: FieldError[]; values?: FormBody; conflict?: string; itemId?: string } = {},
  ) => {
    const agenda = await recommendationVotes.agenda(viewerOf(req), meetingId, req.language);
    const errors = form.errors ?? [];
    res.status(status).render('staff/recommendations/meeting.njk', {
      navCurrent: 'board',
      ...agenda,
      values: form.values ?? {},
      errorItem: form.itemId,
      conflict: form.conflict,
      errors,
      fieldError: byField(errors),
    });
  };

  router.get('/board/meetings/:id/recommendations', requirePermission('board.takePart'), (req, res) =>
    page(req, res, idOf(req, 'id')),
  );

  router.post('/board/meetings/:id/recommendations', requirePermission('board.organise'), async (req, res) => {
    const meetingId = idOf(req, 'id');
    const values = answerFields(req.body);
    const parsed = agendaForm.safeParse(values);
    if (!parsed.success) return page(req, res, meetingId, 400, { errors: fieldErrors(parsed.error, req.t), values });
    await orShowOnPage(
      async () => {
        await recommendationVotes.addToAgenda(viewerOf(req), meetingId, parsed.data.recommendationId, String(req.id));
        req.session.flash = 'recommendations.onAgenda';
        res.redirect(303, `/staff/board/meetings/${meetingId}/recommendations`);
      },
      (problem) => page(req, res, meetingId, problem.status, { conflict: problem.reason ?? 'conflict' }),
    );
  });

  router.post('/board/meetings/:id/recommendations/:itemId/vote', requirePermission('board.vote'), async (req, res) => {
    const meetingId = idOf(req, 'id');
    const itemId = idOf(req, 'itemId');
    const values = answerFields(req.body);
    const parsed = voteForm.safeParse(values);
    if (!parsed.success) {
      return page(req, res, meetingId, 400, { errors: fieldErrors(parsed.error, req.t), values, itemId });
    }
    await orShowOnPage(
      async () => {
        const { outcome } = await recommendationVotes.vote(
          viewerOf(req),
          meetingId,
          itemId,
          parsed.data.choice,
          parsed.data.reason,
          String(req.id),
        );
        req.session.flash = outcome ? `recommendations.outcome.${outcome}` : 'recommendations.voted';
        res.redirect(303, `/staff/board/meetings/${meetingId}/recommendations#item-${itemId}`);
      },
      (problem) =>
        page(req, res, meetingId, problem.status, {
          errors: fieldMessages(req, problem),
          conflict: problem.reason ?? 'conflict',
          itemId,
        }),
    );
  });

  return router;
}
