import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { apiViewer, bearerAuth } from '../../platform/http/bearerAuth.js';
import { caseQueueQuery, parseEvent } from './staffApi.schemas.js';
import type { CaseFile } from './caseFile.service.js';
import { CaseNotVisible, InvalidChoice } from './caseWork.service.js';
import type { Services } from '../../compose.js';
import { ConflictError, ForbiddenEvent, type DispatchEvent } from '../../platform/workflow/workflow.service.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import { fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { caseIdOf } from './caseFile.page.js';

/**
 * The staff API: the case queue, a case and its workflow events in JSON, for a bearer token that
 * acts as its user. The same services as the staff pages, so the same access rules (R14, R15),
 * audit and version checks (R22) apply.
 */
export function staffApiRoutes(services: Services): Router {
  const router = Router();
  const { caseFile, caseWork } = services;
  router.use('/api/v1/cases', bearerAuth(services.apiTokens));

  router.get('/api/v1/cases', async (req, res) => {
    const parsed = caseQueueQuery.safeParse(req.query);
    if (!parsed.success) return invalid(req, res, fieldErrors(parsed.error, req.t));
    const viewer = apiViewer(res);
    res.json(await services.caseQueue.list({ userId: viewer.userId, roles: viewer.roles }, parsed.data));
  });

  router.get('/api/v1/cases/:id', async (req, res) => {
    const viewer = apiViewer(res);
    const file = await caseFile.view({ userId: viewer.userId, roles: viewer.roles }, caseIdOf(req), String(req.id));
    if (!file) throw notFound();
    res.json(caseDetailOf(file));
  });

  router.post('/api/v1/cases/:id/events', async (req, res) => {
    const id = caseIdOf(req);
    const parsed = parseEvent(req.body);
    if (!parsed.success) return invalid(req, res, fieldErrors(parsed.error, req.t));
    const { type, version, details } = parsed.data;
    const viewer = apiViewer(res);
    const who = { userId: viewer.userId, roles: viewer.roles };
    try {
      const result =
        type === 'ADD_INFORMATION'
          ? await caseWork.recordInformation(who, id, details['information'] ?? '', version, String(req.id))
          : await caseWork.act(who, id, { type, ...details } as DispatchEvent, version, String(req.id));
      return res.json({ state: result.state, version: result.version });
    } catch (error) {
      if (error instanceof CaseNotVisible || error instanceof ForbiddenEvent) throw notFound();
      if (error instanceof ConflictError || error instanceof IllegalTransition) {
        return problem(req, res, 409, 'apiTokens.api.conflict');
      }
      if (error instanceof InvalidChoice)
        return invalid(req, res, [{ field: error.field, text: req.t('validation.choose') }]);
      throw error;
    }
  });

  return router;
}

/** The error shape of every /api answer (errorHandler.ts), with field errors for bad input. */
function problem(req: Request, res: Response, status: number, key: string, errors?: FieldError[]) {
  return res.status(status).json({
    error: {
      status,
      message: req.t(key),
      requestId: String(req.id ?? ''),
      ...(errors ? { errors: errors.map((e) => ({ field: e.field, message: e.text })) } : {}),
    },
  });
}

const invalid = (req: Request, res: Response, errors: FieldError[]) =>
  problem(req, res, 400, 'apiTokens.api.invalid', errors);

/** The case as JSON: what the case page shows of it, minus free text, with identity only where allowed (R15). */
function caseDetailOf(file: CaseFile) {
  const { header } = file;
  return {
    id: header.id,
    trackingNumber: header.tracking_number,
    stage: header.stage,
    state: header.state,
    version: header.version,
    receivedAt: header.received_at,
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
            preferredLanguage: c.preferred_language,
            preferredContact: c.preferred_contact,
          })),
        }
      : {}),
    allegations: file.allegations.map((a) => ({
      id: a.id,
      category: a.category,
      officer: a.officer_id
        ? { id: a.officer_id, name: [a.first_name, a.last_name].filter(Boolean).join(' '), badgeNumber: a.badge_number }
        : null,
      draftFinding: a.draft_finding,
      finding: a.finding,
    })),
    deadlines: file.deadlines.map((d) => ({
      kind: d.kind,
      dueAt: d.due_at,
      status: d.status,
      tolledAt: d.tolled_at,
      completedAt: d.completed_at,
    })),
    availableActions: file.actions,
    timeline: file.timeline.map((entry) => ({ key: entry.key, at: entry.at })),
  };
}
