import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import { findingsForm, findingsIntent, plainEvent } from './caseFile.schemas.js';
import type { Services } from '../../compose.js';
import type { Finding } from '../../domain/vocabulary.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { caseFilePage, caseIdOf, onCase } from './caseFile.page.js';
import { viewerOf } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseFindings' | 'caseFile'> &
  Parameters<typeof caseFilePage>[0] &
  Parameters<typeof onCase>[0];

/**
 * Draft findings (#17 item 9): an investigator saves a partial draft as often as they like
 * ("save"), and submits the whole when every allegation has a finding and its reasons ("submit"),
 * on a page that says what submitting means before it happens.
 */
export function caseFindingsRoutes(services: Deps): Router {
  const router = Router();
  const page = caseFilePage(services);
  const { caseFindings } = services;

  router.post(
    '/cases/:id/findings',
    onCase(services, async (req, res, id) => {
      const viewer = viewerOf(req);
      const ids = await caseFindings.allegationIds(viewer, id);
      const fields = answerFields(req.body);
      const intent = findingsIntent.safeParse(fields['intent']);
      const parsed = findingsForm(ids, intent.success ? intent.data : 'submit').safeParse(fields);
      if (!intent.success || !parsed.success) {
        const errors = parsed.success ? [] : fieldErrors(parsed.error, req.t);
        return page(req, res, id, 400, { errors, values: fields, openForm: 'findings' });
      }
      const data = parsed.data as Record<string, string | undefined>;
      const drafts = ids.map((a) => ({
        id: a,
        finding: (data[`finding-${a}`] || null) as Finding | null,
        rationale: data[`rationale-${a}`] ?? null,
      }));
      await caseFindings.save(viewer, id, drafts, String(req.id));
      if (intent.data === 'submit') return res.redirect(303, `/staff/cases/${id}/findings/submit`);
      req.session.flash = 'caseFile.done.FINDINGS_SAVED';
      res.redirect(303, `/staff/cases/${id}#findings`);
    }),
  );

  router.get('/cases/:id/findings/submit', async (req, res) => {
    const id = caseIdOf(req);
    const file = await services.caseFile.view(viewerOf(req), id, String(req.id));
    if (!file) throw notFound();
    const drafts = await caseFindings.status(viewerOf(req), id);
    res.render('staff/cases/findings-submit.njk', { navCurrent: 'cases', file, drafts });
  });

  router.post(
    '/cases/:id/findings/submit',
    onCase(services, async (req, res, id) => {
      const fields = answerFields(req.body);
      const parsed = plainEvent.safeParse(fields);
      if (!parsed.success) return page(req, res, id, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
      await caseFindings.submit(viewerOf(req), id, parsed.data.version, String(req.id));
      req.session.flash = 'caseFile.done.DRAFT_FINDINGS';
      res.redirect(303, `/staff/cases/${id}`);
    }),
  );

  return router;
}
