import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../platform/config.js';
import { formExpired, notFound } from '../../domain/errors.js';
import type { Services } from '../../compose.js';
import { type DraftData } from './intake.service.js';
import type { StoredEvidence } from '../../platform/evidence/evidence.service.js';
import { assembled, isStep, parseStep, stepOfField } from './complaintForm.steps.js';
import { fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { DRAFT_COOKIE, clearCookie, csrfToken, csrfValid, readCookie, setCookie } from './residentSession.js';
import {
  acceptEvidence,
  dropTemporaries,
  evidenceUploads,
  uploadError,
  uploadedFiles,
  withinClientQuota,
  type UploadProblem,
} from '../../platform/evidence/uploads.js';
import { PATH, next, removeIndex, stepUrl } from './complaintForm.navigation.js';
import { complaintFormPages } from './complaintForm.pages.js';
import { receiptMailRoutes } from './receiptMail.routes.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'evidence' | 'intake' | 'keys' | 'receiptMail'> &
  Parameters<typeof complaintFormPages>[0] &
  Parameters<typeof receiptMailRoutes>[0] &
  Parameters<typeof evidenceUploads>[0] &
  Parameters<typeof withinClientQuota>[0];

/**
 * The complaint form: a start page, one page per step (each saved in the server-side draft),
 * a check-your-answers page that files the complaint, and the receipt. Works without JavaScript.
 */
export function complaintFormRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { intake, evidence, keys, receiptMail } = services;
  const secure = config.production;
  const limits = config.uploads;
  const { render, renderErrors, renderCheck } = complaintFormPages(services, config);

  /** The draft of this browser, or undefined when it has none (or it expired). */
  const currentDraft = async (req: Request) => {
    const secret = readCookie(req, DRAFT_COOKIE);
    return secret ? { secret, draft: await intake.draft(secret) } : undefined;
  };

  router.get(PATH, async (req, res) => {
    const current = await currentDraft(req);
    const hasReceipt = current && !current.draft ? await intake.receiptWaiting(current.secret) : false;
    res.render('pages/complaint/start.njk', {
      hasDraft: Boolean(current?.draft),
      hasReceipt,
      csrf: current?.draft ? csrfToken(keys, current.secret) : undefined,
    });
  });

  // Starting creates server state, so it is a POST (R13: GET never changes state).
  router.post(`${PATH}/start`, async (req, res) => {
    const secret = await intake.startDraft(req.ip ?? '');
    setCookie(res, DRAFT_COOKIE, secret, { path: PATH, secure });
    res.redirect(303, stepUrl('what'));
  });

  router.get(`${PATH}/receipt`, async (req, res) => {
    const secret = readCookie(req, DRAFT_COOKIE);
    const receipt = secret ? await intake.showReceiptOnce(secret, typeof req.query['lang'] === 'string') : undefined;
    if (!receipt) return res.redirect(303, PATH);
    if (receipt === 'shown') {
      // Shown once already: the next person at this computer learns how to look it up, not the code.
      clearCookie(res, DRAFT_COOKIE, PATH);
      return res.render('pages/complaint/receiptShown.njk');
    }
    // With the form to email a copy (never the access code), posted back with this draft's token.
    const emailOffer = await receiptMail.offer(receipt.complaintId);
    res.render('pages/complaint/receipt.njk', { receipt, emailOffer, csrf: csrfToken(keys, secret!) });
  });
  router.use(receiptMailRoutes(services));

  router.get(`${PATH}/:step`, async (req, res) => {
    const step = req.params['step'];
    if (!isStep(step)) throw notFound();
    const current = await currentDraft(req);
    if (!current?.draft) return res.redirect(303, PATH);
    return step === 'check' ? renderCheck(req, res, current.draft) : render(req, res, step, current.draft);
  });

  router.post(`${PATH}/evidence`, evidenceUploads(services, config), async (req, res) => {
    const files = uploadedFiles(req);
    const current = await currentDraft(req);
    if (!current?.draft) {
      await dropTemporaries(files);
      return res.redirect(303, PATH);
    }
    const draft = current.draft;
    // A broken or oversized upload changes nothing, so it can be answered before the form token
    // is checked (a cut-off body may not have carried it).
    if (req.uploadProblem) {
      return renderErrors(req, res, 'evidence', draft, [uploadError(req, req.uploadProblem, limits)]);
    }
    if (!csrfValid(keys, current.secret, req.body?._csrf)) {
      await dropTemporaries(files);
      throw formExpired();
    }
    const draftLimit = { ...limits, maxBytes: config.limits.draftBytes };
    const bytesOf = (list: Array<{ sizeBytes: number }>) => list.reduce((sum, f) => sum + f.sizeBytes, 0);
    const incoming = files.reduce((sum, f) => sum + f.size, 0);
    if (bytesOf(draft.evidence) + incoming > config.limits.draftBytes) {
      await dropTemporaries(files);
      return renderErrors(req, res, 'evidence', draft, [uploadError(req, 'draftFull', draftLimit)]);
    }
    if (!(await withinClientQuota(services, config, req.ip ?? '', files))) {
      await dropTemporaries(files);
      return renderErrors(req, res, 'evidence', draft, [uploadError(req, 'clientQuota', limits)]);
    }
    const accepted = await acceptEvidence(evidence, files, limits.maxFiles - draft.evidence.length);
    if (!accepted.ok) {
      return renderErrors(req, res, 'evidence', draft, [uploadError(req, accepted.problem, limits, accepted.name)]);
    }
    // Checked again against the draft as it is when saved: another upload may have landed meanwhile.
    const removed = removeIndex(req.body?.action);
    type Upload =
      { ok: false; now: DraftData; problem: UploadProblem } | { ok: true; gone: StoredEvidence | undefined };
    const outcome = await intake.changeDraft<Upload>(current.secret, (now) => {
      const gone = removed === undefined ? undefined : now.evidence[removed];
      const kept = now.evidence.filter((_, i) => i !== removed);
      const all = [...kept, ...accepted.stored];
      if (all.length > limits.maxFiles) return { result: { ok: false, now, problem: 'tooMany' } };
      if (bytesOf(all) > config.limits.draftBytes) return { result: { ok: false, now, problem: 'draftFull' } };
      return { data: { ...now, evidence: all }, result: { ok: true, gone } };
    });
    if (outcome === 'expired' || !outcome.ok) {
      await evidence.discard(accepted.stored.flatMap((s) => [s.storedName, s.viewingName]));
      if (outcome === 'expired') return res.redirect(303, PATH);
      return renderErrors(req, res, 'evidence', outcome.now, [uploadError(req, outcome.problem, draftLimit)]);
    }
    if (outcome.gone) await evidence.discard([outcome.gone.storedName, outcome.gone.viewingName]);
    const stay = req.body?.action !== 'continue';
    return res.redirect(303, stay ? stepUrl('evidence') : next('evidence', req));
  });

  // "Start again": before /:step, which would take 'new' for a step. It needs the draft's form
  // token (R13), so another site cannot throw a resident's form away.
  router.post(`${PATH}/new`, async (req, res) => {
    const current = await currentDraft(req);
    if (current?.draft && !csrfValid(keys, current.secret, req.body?._csrf)) throw formExpired();
    clearCookie(res, DRAFT_COOKIE, PATH);
    res.redirect(303, PATH);
  });

  router.post(`${PATH}/:step`, async (req, res) => {
    const step = req.params['step'];
    if (!isStep(step) || step === 'evidence') throw notFound();
    const current = await currentDraft(req);
    if (!current?.draft) {
      // The first click of a double submit filed it already: the receipt answers the second (R23).
      return res.redirect(303, current && step === 'check' ? `${PATH}/receipt` : PATH);
    }
    if (!csrfValid(keys, current.secret, req.body?._csrf)) throw formExpired();
    const draft = current.draft;
    const action = typeof req.body?.action === 'string' ? req.body.action : 'continue';
    const parsed = parseStep(step, req.body, draft, removeIndex(action));
    if (!parsed.ok) return renderErrors(req, res, step, draft, fieldErrors(parsed.error, req.t), parsed.values);
    if (step === 'check') return submit(req, res, current.secret, draft, parsed.value);
    const saved = await intake.changeDraft(current.secret, (now) => ({
      data: { ...now, answers: { ...now.answers, [step]: parsed.value } },
      result: 'saved' as const,
    }));
    if (saved === 'expired') return res.redirect(303, PATH);
    const stay = action === 'add' || action.startsWith('remove:');
    return res.redirect(303, stay ? stepUrl(step) : next(step, req));
  });

  async function submit(req: Request, res: Response, secret: string, draft: DraftData, declarations: unknown) {
    const whole = assembled(draft, req.language, declarations);
    if (!whole.success) return renderCheck(req, res, draft);
    await orShowOnPage(
      async () => {
        await intake.submit(whole.data, {
          channel: 'web',
          secret,
          draftSecret: secret,
          evidence: draft.evidence,
          requestId: String(req.id),
          client: req.ip ?? '',
        });
        // The cookie now opens only the receipt, once, within the hour.
        setCookie(res, DRAFT_COOKIE, secret, { path: PATH, secure, maxAgeMs: 60 * 60 * 1000 });
        res.redirect(303, `${PATH}/receipt`);
      },
      (problem) =>
        renderCheck(
          req,
          res,
          draft,
          fieldMessages(req, problem).map((error) => ({ ...error, step: stepOfField(error.field) }) as FieldError),
        ),
      ['invalid'],
    );
  }

  return router;
}
