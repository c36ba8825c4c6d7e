import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { UUID, ballotEntries, ballotForm, recuseForm } from './board.schemas.js';
import { FINDINGS } from '../cases/caseFile.schemas.js';
import { BallotMismatch, BallotNotFound, VotingClosed } from './boardVote.service.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { requireRole, viewerOf } from '../../platform/http/guards.js';

/** The agenda item of the URL, or 404: a malformed id never reaches SQL. */
function itemIdOf(req: Request): string {
  const id = req.params['itemId'];
  if (typeof id !== 'string' || !UUID.test(id)) throw notFound();
  return id;
}

/** Allegation category codes as names in the reader's language (a retired code shows as itself). */
export async function categoryNamer(services: Services, req: Request) {
  const names = new Map((await services.reference.categories(req.language)).map((c) => [c.value, c.label]));
  return (code: string) => names.get(code) ?? code;
}

/** An officer as the ballot names them: rank-less name and badge, or the description given. */
function officerOf(a: {
  first_name: string | null;
  last_name: string | null;
  badge_number: string | null;
  officer_description: string | null;
}): string | null {
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ');
  if (name) return a.badge_number ? `${name} (#${a.badge_number})` : name;
  return a.officer_description;
}

/**
 * A board member's ballot on one agenda item: a finding per allegation with reasons and, for
 * sustained findings, a discipline recommendation; and recusal. Only seated members who have not
 * recused have a ballot; anyone else, and any other id, gets 404 (R14, R15).
 */
export function boardBallotRoutes(services: Services): Router {
  const router = Router();
  const { boardVotes } = services;
  const member = requireRole('board');

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
      const mine = ballot.votes.find((v) => v.allegation_id === a.id);
      return {
        id: a.id,
        number: index + 1,
        category: categoryName(a.category),
        officer: officerOf(a),
        mine: mine
          ? { finding: mine.finding, rationale: mine.rationale, recommendation: mine.discipline_recommendation }
          : null,
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
      caseHref: ballot.item.meeting_status !== 'closed' ? `/staff/cases/${ballot.item.complaint_id}` : null,
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
    const ballot = await boardVotes.ballot(viewer, itemId);
    if (!ballot) throw notFound();
    if (!ballot.open) return ballotPage(req, res, itemId, 409, { refused: true });
    const ids = ballot.allegations.map((a) => a.id);
    const fields = answerFields(req.body);
    const parsed = ballotForm(ids).safeParse(fields);
    if (!parsed.success) {
      return ballotPage(req, res, itemId, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    }
    let outcome: string | null;
    try {
      ({ outcome } = await boardVotes.vote(viewer, itemId, ballotEntries(ids, parsed.data), String(req.id)));
    } catch (error) {
      if (error instanceof BallotNotFound) throw notFound();
      if (error instanceof VotingClosed) return ballotPage(req, res, itemId, 409, { refused: true });
      if (error instanceof BallotMismatch) {
        const errors = [{ field: 'ballot', text: req.t('board.ballot.mismatch') }];
        return ballotPage(req, res, itemId, 400, { errors, values: fields });
      }
      throw error;
    }
    if (outcome === 'decided') {
      req.session.flash = 'board.ballot.savedDecided';
      return res.redirect(303, `/staff/cases/${ballot.item.complaint_id}`);
    }
    req.session.flash = 'board.ballot.saved';
    return res.redirect(303, `/staff/board/meetings/${ballot.item.meeting_id}#agenda`);
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
    try {
      await boardVotes.recuse(viewer, itemId, parsed.data.reason, String(req.id));
    } catch (error) {
      if (error instanceof BallotNotFound) throw notFound();
      throw error;
    }
    req.session.flash = 'board.recuse.done';
    return res.redirect(303, `/staff/board/meetings/${ballot.item.meeting_id}#agenda`);
  });

  return router;
}
