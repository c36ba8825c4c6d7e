import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { UUID, ballotEntries, ballotForm, recuseForm } from './board.schemas.js';
import { FINDINGS } from '../cases/caseFile.schemas.js';

import type { Services } from '../../compose.js';
import type { BallotAllegationView } from './boardVote.view.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { requirePermission, viewerOf } from '../../platform/http/guards.js';

/** The agenda item of the URL, or 404: a malformed id never reaches SQL. */
function itemIdOf(req: Request): string {
  const id = req.params['itemId'];
  if (typeof id !== 'string' || !UUID.test(id)) throw notFound();
  return id;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'boardVotes' | 'reference'>;

/** Allegation category codes as names in the reader's language (a retired code shows as itself). */
export async function categoryNamer(services: Deps, req: Request) {
  const names = new Map((await services.reference.categories(req.language)).map((c) => [c.value, c.label]));
  return (code: string) => names.get(code) ?? code;
}

/** An officer as the ballot names them: rank-less name and badge, or the description given. */
function officerOf(a: BallotAllegationView): string | null {
  const name = [a.officerFirstName, a.officerLastName].filter(Boolean).join(' ');
  if (name) return a.officerBadgeNumber ? `${name} (#${a.officerBadgeNumber})` : name;
  return a.officerDescription;
}

/**
 * A board member's ballot on one agenda item: a finding per allegation with reasons and, for
 * sustained findings, a discipline recommendation; and recusal. Only seated members who have not
 * recused have a ballot; anyone else, and any other id, gets 404 (R14, R15).
 */
export function boardBallotRoutes(services: Deps): Router {
  const router = Router();
  const { boardVotes } = services;
  const member = requirePermission('board.vote');

  const ballotPage = async (
    req: Request,
    res: Response,
    itemId: string,
    status: number,
    locals: { errors?: FieldError[]; values?: Record<string, unknown>; recusal?: Record<string, unknown> } & Record<
      string,
      unknown
    > = {},
  ) => {
    const ballot = await boardVotes.ballot(viewerOf(req), itemId);
    if (!ballot) throw notFound();
    const categoryName = await categoryNamer(services, req);
    const allegations = ballot.allegations.map((a, index) => {
      const mine = ballot.votes.find((v) => v.allegationId === a.id);
      return {
        id: a.id,
        number: index + 1,
        category: categoryName(a.category),
        officer: officerOf(a),
        draft: a.draftFinding ? { finding: req.t(`finding.${a.draftFinding}`), rationale: a.draftRationale } : null,
        mine: mine ? { finding: mine.finding, rationale: mine.rationale, recommendation: mine.recommendation } : null,
      };
    });
    // The member's current votes fill the form, unless it comes back with what they sent.
    const values =
      locals.values ??
      Object.fromEntries(
        allegations.flatMap((a) => [
          [`finding-${a.id}`, a.mine?.finding ?? ''],
          [`rationale-${a.id}`, a.mine?.rationale ?? ''],
          [`recommendation-${a.id}`, a.mine?.recommendation ?? ''],
        ]),
      );
    const errors = locals.errors ?? [];
    res.status(status).render('staff/board/ballot.njk', {
      navCurrent: 'board',
      item: ballot.item,
      open: ballot.open,
      // A member sees the case while its meeting is not closed (caseVisibleTo); the case page checks again.
      caseHref: ballot.item.meetingStatus !== 'closed' ? `/staff/cases/${ballot.item.complaintId}` : null,
      mayRecuse: ballot.item.outcome === null,
      allegations,
      findings: FINDINGS.map((value) => ({ value, label: req.t(`finding.${value}`) })),
      recusal: {},
      ...locals,
      values,
      errors,
      fieldError: byField(errors),
    });
  };

  router.get('/board/items/:itemId/ballot', member, (req, res) => ballotPage(req, res, itemIdOf(req), 200));

  router.post('/board/items/:itemId/ballot', member, async (req, res) => {
    const itemId = itemIdOf(req);
    const viewer = viewerOf(req);
    const shape = await boardVotes.ballotShape(viewer, itemId);
    if (!shape) throw notFound();
    if (!shape.open) return ballotPage(req, res, itemId, 409, { refused: true });
    const ids = shape.allegationIds;
    const fields = answerFields(req.body);
    const parsed = ballotForm(ids).safeParse(fields);
    if (!parsed.success) {
      return ballotPage(req, res, itemId, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    }
    await orShowOnPage(
      async () => {
        const { outcome } = await boardVotes.vote(viewer, itemId, ballotEntries(ids, parsed.data), String(req.id));
        req.session.flash = outcome === 'decided' ? 'board.ballot.savedDecided' : 'board.ballot.saved';
        res.redirect(
          303,
          outcome === 'decided'
            ? `/staff/cases/${shape.complaintId}`
            : `/staff/board/meetings/${shape.meetingId}#agenda`,
        );
      },
      (problem) =>
        problem.code === 'conflict'
          ? ballotPage(req, res, itemId, problem.status, { refused: true })
          : ballotPage(req, res, itemId, problem.status, { errors: fieldMessages(req, problem), values: fields }),
    );
  });

  router.post('/board/items/:itemId/recuse', member, async (req, res) => {
    const itemId = itemIdOf(req);
    const viewer = viewerOf(req);
    const ballot = await boardVotes.ballot(viewer, itemId);
    if (!ballot) throw notFound();
    const fields = answerFields(req.body);
    const parsed = recuseForm.safeParse(fields);
    if (!parsed.success) {
      return ballotPage(req, res, itemId, 400, { errors: fieldErrors(parsed.error, req.t), recusal: fields });
    }
    await boardVotes.recuse(viewer, itemId, parsed.data.reason, String(req.id));
    req.session.flash = 'board.recuse.done';
    return res.redirect(303, `/staff/board/meetings/${ballot.item.meetingId}#agenda`);
  });

  return router;
}
