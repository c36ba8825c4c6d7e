import { Router, type Request } from 'express';
import { notFound } from '../../domain/errors.js';
import { STAFF_EVENTS, eventForms, findingsForm, plainEvent } from './caseFile.schemas.js';
import type { Services } from '../../compose.js';
import type { DispatchEvent } from '../../platform/workflow/workflow.service.js';
import type { Finding } from '../../domain/vocabulary.js';
import type { ComplaintEventType } from '../../../workflows/complaint.types.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { caseFilePage, onCase } from './caseFile.page.js';
import { viewerOf } from '../../platform/http/guards.js';

const FROM_FORMS = new Set<ComplaintEventType>(STAFF_EVENTS);

function eventOf(req: Request): ComplaintEventType {
  const type = req.params['event'];
  if (typeof type !== 'string' || !FROM_FORMS.has(type as ComplaintEventType)) throw notFound();
  return type as ComplaintEventType;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseWork'> & Parameters<typeof caseFilePage>[0] & Parameters<typeof onCase>[0];

/**
 * The workflow's actions from the case page: each event with the details it needs, and the
 * version of the case the user saw, so two people acting at once cannot both win (R22: 409).
 */
export function caseActionRoutes(services: Deps): Router {
  const router = Router();
  const page = caseFilePage(services);
  const { caseWork } = services;

  router.post(
    '/cases/:id/actions/:event',
    onCase(services, async (req, res, id) => {
      const type = eventOf(req);
      const fields = answerFields(req.body);
      const schema = (eventForms as Record<string, typeof plainEvent>)[type] ?? plainEvent;
      const parsed = schema.safeParse(fields);
      if (!parsed.success) {
        return page(req, res, id, 400, { errors: fieldErrors(parsed.error, req.t), values: fields, openForm: type });
      }
      const { version, ...details } = parsed.data as { version: number } & Record<string, string>;
      const viewer = viewerOf(req);
      if (type === 'ADD_INFORMATION') {
        await caseWork.recordInformation(viewer, id, details['information'] ?? '', version, String(req.id));
      } else {
        await caseWork.act(viewer, id, { type, ...details } as DispatchEvent, version, String(req.id));
      }
      req.session.flash = `caseFile.done.${type}`;
      res.redirect(303, `/staff/cases/${id}`);
    }),
  );

  router.post(
    '/cases/:id/findings',
    onCase(services, async (req, res, id) => {
      const viewer = viewerOf(req);
      const ids = await caseWork.allegationIds(viewer, id);
      const fields = answerFields(req.body);
      const parsed = findingsForm(ids).safeParse(fields);
      if (!parsed.success) {
        return page(req, res, id, 400, {
          errors: fieldErrors(parsed.error, req.t),
          values: fields,
          openForm: 'findings',
        });
      }
      const data = parsed.data as Record<string, string | number>;
      const drafts = ids.map((a) => ({
        id: a,
        finding: data[`finding-${a}`] as Finding,
        rationale: String(data[`rationale-${a}`]),
      }));
      await caseWork.draftFindings(viewer, id, drafts, Number(data['version']), String(req.id));
      req.session.flash = 'caseFile.done.DRAFT_FINDINGS';
      res.redirect(303, `/staff/cases/${id}`);
    }),
  );

  return router;
}
