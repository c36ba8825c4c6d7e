import { Router, type Request, type Response } from 'express';
import type { Config } from '../../platform/config.js';
import { formExpired } from '../../domain/errors.js';
import { addInformation, contactUpdate, statusLookup } from './complaint.schemas.js';
import type { Services } from '../../compose.js';
import { lastDayOf } from '../../../workflows/deadline.policy.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import {
  CASE_COOKIE,
  CASE_SESSION_MS,
  PASS_ENDED_COOKIE,
  clearCookie,
  csrfValid,
  issueCaseToken,
  readCookie,
  setCookie,
  verifyCaseToken,
} from './residentSession.js';
import {
  acceptEvidence,
  dropTemporaries,
  evidenceUploads,
  uploadError,
  uploadedFiles,
  withinClientQuota,
} from '../../platform/evidence/uploads.js';
import { PATH, contactValues, hasDecision, statusPages, type Opened } from './status.pages.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'evidence' | 'keys' | 'residentCase' | 'status'> &
  Parameters<typeof evidenceUploads>[0] &
  Parameters<typeof statusPages>[0] &
  Parameters<typeof withinClientQuota>[0];

/**
 * Status lookup (POST only, R16) and, for the next 15 minutes, the resident's own actions on that
 * one case: add information, update contact details, withdraw, ask for reconsideration, sign out.
 * The lookup answers with a redirect to the case page (a GET read from the pass), so Back from any
 * later page never asks to send the codes again (#17).
 */
export function statusRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { status, residentCase, keys, evidence } = services;
  const secure = config.production;
  const { lookupErrors, renderCase, page, pageLocals, act } = statusPages(services, config);

  router.get(PATH, (req, res) => {
    // Sent here from a case page without a pass (ended, signed out, never opened): said once.
    const passEnded = readCookie(req, PASS_ENDED_COOKIE) !== undefined;
    if (passEnded) clearCookie(res, PASS_ENDED_COOKIE, PATH);
    res.render('pages/status/lookup.njk', { errors: [], fieldError: {}, values: {}, passEnded });
  });

  router.post(PATH, async (req, res) => {
    const fields = answerFields(req.body);
    const parsed = statusLookup.safeParse(fields);
    if (!parsed.success) return lookupErrors(req, res, 400, fieldErrors(parsed.error, req.t), fields);
    const result = await status.lookup(parsed.data.trackingNumber, parsed.data.accessCode, req.ip ?? '');
    if (result.kind === 'limited') {
      return lookupErrors(req, res, 429, [{ field: 'trackingNumber', text: req.t('status.limited') }], fields);
    }
    if (result.kind === 'notFound') {
      return lookupErrors(req, res, 404, [{ field: 'trackingNumber', text: req.t('status.notFound') }], fields);
    }
    const token = issueCaseToken(keys, result.view.complaintId, new Date());
    setCookie(res, CASE_COOKIE, token, { path: PATH, secure, maxAgeMs: CASE_SESSION_MS });
    return res.redirect(303, `${PATH}/case`);
  });

  /** The case of this browser's pass, or a redirect to the lookup form, which then says why. */
  const openCase = async (req: Request, res: Response) => {
    const token = readCookie(req, CASE_COOKIE);
    const id = verifyCaseToken(keys, token, new Date());
    const view = id ? await status.view(id) : undefined;
    if (!view || !token) {
      setCookie(res, PASS_ENDED_COOKIE, '1', { path: PATH, secure, maxAgeMs: 5 * 60 * 1000 });
      res.redirect(303, PATH);
      return undefined;
    }
    return { view, token };
  };

  router.get(`${PATH}/case`, async (req, res) => {
    const opened = await openCase(req, res);
    if (opened) renderCase(req, res, opened.view);
  });

  /**
   * The decision letter, printable, once the board has decided the case (and after it closes):
   * the findings in plain words and, while the window is open, the last day to ask for
   * reconsideration (the same day as the emailed letter). Before a decision: back to the case.
   */
  router.get(`${PATH}/decision`, async (req, res) => {
    const opened = await openCase(req, res);
    if (!opened) return;
    const { view } = opened;
    if (!hasDecision(view)) return res.redirect(303, `${PATH}/case`);
    const decidedAt = view.history.filter((h) => h.stage === 'decided').at(-1)?.at;
    const windowOpen =
      view.stage === 'decided' &&
      view.reconsiderationUntil !== null &&
      view.actions.includes('REQUEST_RECONSIDERATION');
    const lastDay = windowOpen
      ? new Intl.DateTimeFormat(req.language === 'es' ? 'es-US' : 'en-US', {
          dateStyle: 'long',
          timeZone: 'UTC',
        }).format(new Date(`${lastDayOf(new Date(view.reconsiderationUntil!), config.agencyTimeZone)}T12:00:00Z`))
      : undefined;
    res.render('pages/status/decision.njk', { view, decidedAt, lastDay });
  });

  // Each asks before it acts; sign-out's page is its confirmation (#17).
  for (const name of ['add-information', 'contact', 'withdraw', 'reconsideration', 'sign-out'] as const) {
    router.get(`${PATH}/${name}`, async (req, res) => {
      const opened = await openCase(req, res);
      if (!opened) return;
      const contact = name === 'contact' ? await residentCase.contact(opened.view.complaintId) : undefined;
      res.render(page(name), await pageLocals(name, opened, { contact, values: contactValues(contact) }));
    });
  }

  /** A POST on the case of this browser's pass, with its form token checked (R13). */
  const onCase =
    (handler: (req: Request, res: Response, opened: Opened) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const opened = await openCase(req, res);
      if (!opened) return;
      if (!csrfValid(keys, opened.token, req.body?._csrf)) throw formExpired();
      return handler(req, res, opened);
    };

  router.post(`${PATH}/add-information`, evidenceUploads(services, config), async (req, res) => {
    const files = uploadedFiles(req);
    const opened = await openCase(req, res);
    if (!opened) return dropTemporaries(files);
    const problemPage = async (errors: FieldError[], values: object) => {
      await dropTemporaries(files);
      res
        .status(400)
        .render(
          page('add-information'),
          await pageLocals('add-information', opened, { errors, fieldError: byField(errors), values }),
        );
    };
    // A broken upload changes nothing: answered before the token, which a cut-off body may lack.
    if (req.uploadProblem) return problemPage([uploadError(req, req.uploadProblem, config.uploads)], {});
    if (!csrfValid(keys, opened.token, req.body?._csrf)) {
      await dropTemporaries(files);
      throw formExpired();
    }
    const fields = answerFields(req.body);
    const parsed = addInformation.safeParse(fields);
    if (!parsed.success) return problemPage(fieldErrors(parsed.error, req.t), fields);
    if (!parsed.data.information && files.length === 0) {
      return problemPage([{ field: 'information', text: req.t('status.addInformation.empty') }], fields);
    }
    if (!(await withinClientQuota(services, config, req.ip ?? '', files))) {
      return problemPage([uploadError(req, 'clientQuota', config.uploads)], fields);
    }
    const room = await residentCase.filesLeft(opened.view.complaintId, config.uploads.maxFiles);
    const accepted = await acceptEvidence(evidence, files, room);
    if (!accepted.ok) return problemPage([uploadError(req, accepted.problem, config.uploads, accepted.name)], fields);
    return act(res, 'add-information', 'information', opened, async () => {
      try {
        await residentCase.addInformation(
          opened.view.complaintId,
          { text: parsed.data.information, evidence: accepted.stored },
          String(req.id),
        );
      } catch (error) {
        await evidence.discard(accepted.stored.flatMap((s) => [s.storedName, s.viewingName]));
        throw error;
      }
    });
  });

  router.post(
    `${PATH}/contact`,
    onCase(async (req, res, opened) => {
      const fields = answerFields(req.body);
      const parsed = contactUpdate.safeParse(fields);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error, req.t);
        const locals = { errors, fieldError: byField(errors), values: fields, contact: {} };
        return res.status(400).render(page('contact'), await pageLocals('contact', opened, locals));
      }
      return act(res, 'contact', 'contact', opened, () =>
        residentCase.updateContact(opened.view.complaintId, parsed.data, String(req.id)),
      );
    }),
  );

  router.post(
    `${PATH}/withdraw`,
    onCase((req, res, opened) =>
      act(res, 'withdraw', 'withdrawn', opened, () => residentCase.withdraw(opened.view.complaintId, String(req.id))),
    ),
  );

  router.post(
    `${PATH}/reconsideration`,
    onCase((req, res, opened) =>
      act(res, 'reconsideration', 'reconsideration', opened, () =>
        residentCase.requestReconsideration(opened.view.complaintId, String(req.id)),
      ),
    ),
  );

  // Signing out needs the form token too (R13): another site must not end a resident's pass.
  router.post(`${PATH}/sign-out`, (req, res) => {
    const token = readCookie(req, CASE_COOKIE);
    if (token && verifyCaseToken(keys, token, new Date())) {
      if (!csrfValid(keys, token, req.body?._csrf)) throw formExpired();
    }
    clearCookie(res, CASE_COOKIE, PATH);
    res.redirect(303, `${PATH}/signed-out`);
  });

  /** Says the resident is signed out and how to look the case up again; a browser still holding a pass goes to its case. */
  router.get(`${PATH}/signed-out`, (req, res) => {
    if (verifyCaseToken(keys, readCookie(req, CASE_COOKIE), new Date())) return res.redirect(303, `${PATH}/case`);
    res.render('pages/status/signed-out.njk');
  });

  return router;
}
