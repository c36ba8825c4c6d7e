import { Router, type Request } from 'express';
import { notFound } from '../../domain/errors.js';
import { CONFIRMED_EVENTS, STAFF_EVENTS, eventForms, plainEvent } from './caseFile.schemas.js';
import type { Services } from '../../compose.js';
import type { DispatchEvent } from '../../platform/workflow/workflow.service.js';
import type { ComplaintEventType } from '../../../workflows/complaint.types.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { caseFilePage, onCase } from './caseFile.page.js';
import { viewerOf } from '../../platform/http/guards.js';
import { caseFindingsRoutes } from './caseFindings.routes.js';
import { staffActor } from './caseFile.service.js';
import { mayActorSend } from '../../../workflows/complaint.permissions.js';

const FROM_FORMS = new Set<ComplaintEventType>(STAFF_EVENTS);

function eventOf(req: Request): ComplaintEventType {
  const type = req.params['event'];
  if (typeof type !== 'string' || !FROM_FORMS.has(type as ComplaintEventType)) throw notFound();
  return type as ComplaintEventType;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseWork' | 'caseFile'> &
  Parameters<typeof caseFilePage>[0] &
  Parameters<typeof onCase>[0] &
  Parameters<typeof caseFindingsRoutes>[0];

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
      const { confirm, ...fields } = answerFields(req.body);
      const schema = (eventForms as Record<string, typeof plainEvent>)[type] ?? plainEvent;
      const parsed = schema.safeParse(fields);
      if (!parsed.success) {
        return page(req, res, id, 400, { errors: fieldErrors(parsed.error, req.t), values: fields, openForm: type });
      }
      const { version, ...details } = parsed.data as { version: number } & Record<string, string>;
      const viewer = viewerOf(req);
      if (CONFIRMED_EVENTS.has(type) && confirm !== 'yes') {
        // An irreversible step is confirmed on a page that says what it will do (#17 item 10).
        const header = await services.caseFile.header(viewer, id);
        if (!header || !mayActorSend(staffActor(viewer, header.assignedToViewer), type)) throw notFound();
        if (header.version !== version) return page(req, res, id, 409, { conflict: true });
        return res.render('staff/cases/confirm.njk', { navCurrent: 'cases', h: header, type, version, details });
      }
      const done =
        type === 'ADD_INFORMATION'
          ? await caseWork.recordInformation(viewer, id, details['information'] ?? '', version, String(req.id))
          : await caseWork.act(viewer, id, { type, ...details } as DispatchEvent, version, String(req.id));
      // A withdrawal closes a complaint not yet investigated; later, it asks a supervisor to decide.
      req.session.flash = `caseFile.done.${type === 'WITHDRAW' && done.state === 'closed' ? 'WITHDRAW_CLOSED' : type}`;
      res.redirect(303, `/staff/cases/${id}`);
    }),
  );

  router.use(caseFindingsRoutes(services));
  return router;
}
