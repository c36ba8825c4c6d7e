import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { may } from '../../domain/policy.js';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../platform/config.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { UUID, addCaseForm, closeForm, emptyForm, meetingForm, meetingTime, openVotingForm } from './board.schemas.js';
import { organises } from './boardMeeting.service.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { boardBallotRoutes, categoryNamer } from './boardBallot.routes.js';
import { boardSettingsRoutes } from './boardSettings.routes.js';
import { allowed, requirePermission, viewerOf } from '../../platform/http/guards.js';

/** Board members take part; supervisors and admins organise. Anyone else: 404 (R14). */
const takesPart = requirePermission('board.takePart');
const organiser = requirePermission('board.organise');

/** A form of buttons only (open, remove, close) with fields it does not have: 400 (R18). */
const badForm = () => new DomainError('invalid');

/** An id of the URL, or 404: a malformed id never reaches SQL. */
function idOf(req: Request, name: string): string {
  const id = req.params[name];
  if (typeof id !== 'string' || !UUID.test(id)) throw notFound();
  return id;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'boardMeetings' | 'boardRecord' | 'boardVotes'> &
  Parameters<typeof boardBallotRoutes>[0] &
  Parameters<typeof boardSettingsRoutes>[0] &
  Parameters<typeof categoryNamer>[0];

/**
 * The board's staff pages: the meetings, a meeting's agenda and how it is run, the close with its
 * confirmation, and the board's minutes; with the ballots (boardBallot.routes.ts) and the admin's
 * settings (boardSettings.routes.ts). Mounted before the case file's /cases/:id.
 */
export function staffBoardRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { boardMeetings, boardRecord, boardVotes } = services;

  const render = (res: Response, view: string, status: number, locals: Record<string, unknown>) => {
    const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
    res.status(status).render(`staff/board/${view}.njk`, {
      navCurrent: 'board',
      values: {},
      ...locals,
      errors,
      fieldError: byField(errors),
    });
  };

  const listPage = async (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const meetings = await boardMeetings.list(viewerOf(req));
    render(res, 'meetings', status, { meetings, organiser: organises(viewerOf(req)), ...locals });
  };

  /** The meeting with its agenda as this viewer may see it; 404 when it is not there for them. */
  const meetingPage = async (
    req: Request,
    res: Response,
    id: string,
    status: number,
    locals: Record<string, unknown> = {},
  ) => {
    const viewer = viewerOf(req);
    const found = await boardMeetings.meeting(viewer, id);
    if (!found) throw notFound();
    const { meeting } = found;
    const categoryName = await categoryNamer(services, req);
    const member = may(viewer, 'board.vote');
    const record = member ? await boardRecord.minutes(viewer, id) : undefined;
    const recused = new Set(record?.items.filter((i) => i.recusedByViewer).map((i) => i.id));
    // Who sees every case (caseVisibleTo): intake and supervisors; a member, the cases of a meeting
    // not yet closed that they have not recused from. The case page checks again.
    const seesAll = allowed(req, 'cases.readAll');
    let seated = false;
    const items = await Promise.all(
      found.items.map(async (item) => {
        const isRecused = recused.has(item.id);
        const ballot = member && !isRecused ? await boardVotes.ballot(viewer, item.id) : undefined;
        if (ballot) seated = true;
        const visible = seesAll || (member && !isRecused && meeting.status !== 'closed');
        return {
          id: item.id,
          publicReference: item.publicReference,
          recused: isRecused,
          trackingNumber: isRecused ? null : item.trackingNumber,
          caseHref: visible && !isRecused ? `/staff/cases/${item.complaintId}` : null,
          categories: isRecused ? [] : item.categories.map(categoryName),
          state: item.state,
          outcome: item.outcome,
          ballot: ballot ? { voted: ballot.votes.length > 0, open: ballot.open } : null,
        };
      }),
    );
    const isOrganiser = organises(viewer);
    const waiting =
      isOrganiser && meeting.status !== 'closed'
        ? (await boardMeetings.waitingCases(viewer)).map((c) => ({
            value: c.id,
            label: req.t('board.agenda.caseOption', {
              tracking: c.trackingNumber,
              categories: c.categories.map(categoryName).join(', ') || req.t('board.item.noCategories'),
            }),
          }))
        : [];
    render(res, 'meeting', status, {
      meeting,
      items,
      organiser: isOrganiser,
      member,
      notSeated: member && items.some((i) => !i.recused) && !seated,
      waiting,
      aheadOfItsDay: found.aheadOfItsDay,
      ...locals,
    });
  };

  /**
   * Runs a step of an organiser on a meeting; what people can cause is a page, not a 500: no such
   * meeting or item (404), a step the meeting's state refuses now (409 with the reason).
   */
  const onMeeting =
    (step: (req: Request, res: Response, id: string) => Promise<unknown>) => async (req: Request, res: Response) => {
      const id = idOf(req, 'id');
      await orShowOnPage(
        () => step(req, res, id),
        (problem) => meetingPage(req, res, id, problem.status, { conflict: problem.reason ?? true }),
        ['conflict'],
      );
    };

  const done = (req: Request, res: Response, flash: string, to: string) => {
    req.session.flash = flash;
    res.redirect(303, to);
  };

  router.get('/board', takesPart, (req, res) => listPage(req, res, 200));

  router.post('/board/meetings', organiser, async (req, res) => {
    const fields = answerFields(req.body);
    const parsed = meetingForm.safeParse(fields);
    if (!parsed.success) return listPage(req, res, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    const id = await boardMeetings.schedule(
      viewerOf(req),
      { scheduledFor: meetingTime(parsed.data, config.agencyTimeZone), location: parsed.data.location },
      String(req.id),
    );
    return done(req, res, 'board.schedule.done', `/staff/board/meetings/${id}`);
  });

  router.get('/board/meetings/:id', takesPart, (req, res) => meetingPage(req, res, idOf(req, 'id'), 200));

  router.post(
    '/board/meetings/:id/items',
    organiser,
    onMeeting(async (req, res, id) => {
      const viewer = viewerOf(req);
      const fields = answerFields(req.body);
      const waiting = (await boardMeetings.waitingCases(viewer)).map((c) => c.id);
      const parsed = addCaseForm(waiting).safeParse(fields);
      if (!parsed.success) {
        return meetingPage(req, res, id, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
      }
      await boardMeetings.addCase(viewer, id, parsed.data.complaintId, String(req.id));
      done(req, res, 'board.agenda.added', `/staff/board/meetings/${id}#agenda`);
    }),
  );

  router.post(
    '/board/meetings/:id/items/:itemId/remove',
    organiser,
    onMeeting(async (req, res, id) => {
      const itemId = idOf(req, 'itemId');
      if (!emptyForm.safeParse(answerFields(req.body)).success) throw badForm();
      await boardMeetings.removeCase(viewerOf(req), id, itemId, String(req.id));
      done(req, res, 'board.agenda.removed', `/staff/board/meetings/${id}#agenda`);
    }),
  );

  router.post(
    '/board/meetings/:id/open',
    organiser,
    onMeeting(async (req, res, id) => {
      const form = openVotingForm.safeParse(answerFields(req.body));
      if (!form.success) throw badForm();
      await orShowOnPage(
        async () => {
          await boardMeetings.openVoting(viewerOf(req), id, String(req.id), { early: form.data.early === 'yes' });
          done(req, res, 'board.meeting.openedDone', `/staff/board/meetings/${id}`);
        },
        (problem) => meetingPage(req, res, id, problem.status, { errors: fieldMessages(req, problem) }),
        ['invalid'],
      );
    }),
  );

  /** The confirmation before closing: the cases still open and how many members voted on each. */
  const closePage = async (req: Request, res: Response, id: string) => {
    const viewer = viewerOf(req);
    const record = await boardRecord.minutes(viewer, id);
    if (!record) throw notFound();
    if (record.meeting.status !== 'voting') return meetingPage(req, res, id, 409, { conflict: 'notVoting' });
    const open = record.items
      .filter((i) => i.outcome === null)
      .map((i) => ({
        publicReference: i.publicReference,
        trackingNumber: i.trackingNumber,
        voters: new Set(i.allVotes.map((v) => v.memberId)).size,
      }));
    return render(res, 'close', 200, { meeting: record.meeting, open });
  };

  router.get('/board/meetings/:id/close', organiser, (req, res) => closePage(req, res, idOf(req, 'id')));

  router.post(
    '/board/meetings/:id/close',
    organiser,
    onMeeting(async (req, res, id) => {
      const parsed = closeForm.safeParse(answerFields(req.body));
      if (!parsed.success) throw badForm();
      // The meeting page's button asks first; only the confirmation's button closes.
      if (parsed.data.confirm !== 'yes') return closePage(req, res, id);
      await boardMeetings.closeVoting(viewerOf(req), id, String(req.id));
      return done(req, res, 'board.meeting.closedDone', `/staff/board/meetings/${id}`);
    }),
  );

  router.get('/board/meetings/:id/minutes', takesPart, async (req, res) => {
    const id = idOf(req, 'id');
    const record = await boardRecord.minutes(viewerOf(req), id);
    if (!record) throw notFound();
    const categoryName = await categoryNamer(services, req);
    const items = record.items.map((item) => ({
      ...item,
      allegations: item.allegations.map((a) => ({ ...a, category: categoryName(a.category) })),
    }));
    render(res, 'minutes', 200, { meeting: record.meeting, items });
  });

  router.use(boardBallotRoutes(services));
  router.use(boardSettingsRoutes(services));
  return router;
}
