import { sendProblem } from '../../platform/http/errorHandler.js';
import { invalidRequest } from '../../platform/http/problems.js';
import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import { apiViewer, bearerAuth, confirmBearer, readForBearer } from '../accounts/bearerAuth.js';
import { caseQueueQuery, parseEvent } from './staffApi.schemas.js';
import type { CaseFileView } from './caseFile.service.js';

import type { Services } from '../../compose.js';
import { type DispatchEvent } from '../../platform/workflow/workflow.service.js';

import { fieldErrors } from '../../platform/http/formErrors.js';
import { caseIdOf } from './caseFile.page.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'apiTokens' | 'caseFile' | 'caseQueue' | 'caseWork'>;

/**
 * The staff API: the case queue, a case and its workflow events in JSON, for a bearer token that
 * acts as its user. The same services as the staff pages, so the same access rules (R14, R15),
 * audit and version checks (R22) apply.
 */
export function staffApiRoutes(services: Deps): Router {
  const router = Router();
  const { apiTokens, caseFile, caseWork } = services;
  // The queue, the hot read (#18): a token this process knows is checked in the queue's own statement.
  router.get('/api/v1/cases', bearerAuth(apiTokens, { recall: true }), async (req, res) => {
    const parsed = caseQueueQuery.safeParse(req.query);
    if (!parsed.success) {
      if (!(await confirmBearer(apiTokens, req, res))) return;
      return sendProblem(req, res, invalidRequest, fieldErrors(parsed.error, req.t));
    }
    const list = await readForBearer(apiTokens, req, res, (viewer, check) =>
      services.caseQueue.listIf({ userId: viewer.userId, roles: viewer.roles }, parsed.data, check),
    );
    if (list) res.json(list);
  });
  router.use('/api/v1/cases', bearerAuth(apiTokens));

  router.get('/api/v1/cases/:id', async (req, res) => {
    const viewer = apiViewer(res);
    const file = await caseFile.view({ userId: viewer.userId, roles: viewer.roles }, caseIdOf(req), String(req.id));
    if (!file) throw notFound();
    res.json(caseDetailOf(file));
  });

  router.post('/api/v1/cases/:id/events', async (req, res) => {
    const id = caseIdOf(req);
    const parsed = parseEvent(req.body);
    if (!parsed.success) return sendProblem(req, res, invalidRequest, fieldErrors(parsed.error, req.t));
    const { type, version, details } = parsed.data;
    const viewer = apiViewer(res);
    const who = { userId: viewer.userId, roles: viewer.roles };
    const result =
      type === 'ADD_INFORMATION'
        ? await caseWork.recordInformation(who, id, details['information'] ?? '', version, String(req.id))
        : await caseWork.act(who, id, { type, ...details } as DispatchEvent, version, String(req.id));
    return res.json({ state: result.state, version: result.version });
  });

  return router;
}

/** The case as JSON: what the case page shows of it, minus free text, with identity only where allowed (R15). */
function caseDetailOf(file: CaseFileView) {
  const { header } = file;
  return {
    id: header.id,
    trackingNumber: header.trackingNumber,
    stage: header.stage,
    state: header.state,
    version: header.version,
    receivedAt: header.receivedAt,
    district: header.district,
    anonymous: header.anonymous,
    ...(file.may.identity
      ? {
          complainants: file.complainants.map((c) => ({
            role: c.role,
            name: c.name,
            email: c.email,
            phone: c.phone,
            address: c.address,
            preferredLanguage: c.preferredLanguage,
            preferredContact: c.preferredContact,
          })),
        }
      : {}),
    allegations: file.allegations.map((a) => ({
      id: a.id,
      category: a.category,
      officer: a.officer
        ? {
            id: a.officer.id,
            name: [a.officer.firstName, a.officer.lastName].filter(Boolean).join(' '),
            badgeNumber: a.officer.badgeNumber,
          }
        : null,
      draftFinding: a.draftFinding,
      finding: a.finding,
    })),
    deadlines: file.deadlines.map((d) => ({
      kind: d.kind,
      dueAt: d.dueAt,
      status: d.status,
      tolledAt: d.tolledAt,
      completedAt: d.completedAt,
    })),
    availableActions: file.actions,
    timeline: file.timeline.map((entry) => ({ key: entry.key, at: entry.at })),
  };
}
