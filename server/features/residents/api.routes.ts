import { sendProblem } from '../../platform/http/errorHandler.js';
import { invalidRequest, problemOf } from '../../platform/http/problems.js';
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Config } from '../../platform/config.js';
import { complaintSubmission, statusLookup } from './complaint.schemas.js';
import type { Services } from '../../compose.js';
import type { StatusView } from './status.service.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { openApiDocument } from '../openapi.js';

/** An idempotency key must be unguessable: it also yields the complaint's access code on a repeat. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,128}$/;

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'intake' | 'status'>;

/** The resident API: the same schemas, services and rules as the forms, in JSON (DESIGN.md). */
export function apiRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { intake, status } = services;

  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(config.publicBaseUrl));
  });

  router.post('/api/v1/complaints', async (req, res) => {
    const key = req.get('Idempotency-Key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      return sendProblem(req, res, invalidRequest, [{ field: 'Idempotency-Key', text: req.t('api.idempotencyKey') }]);
    }
    const parsed = complaintSubmission.safeParse(req.body ?? {});
    if (!parsed.success) return sendProblem(req, res, invalidRequest, fieldErrors(parsed.error, req.t));
    const receipt = await intake.submit(parsed.data, {
      channel: 'api',
      secret: key ? `api:${key}` : randomBytes(32).toString('base64url'),
      requestId: String(req.id),
      client: req.ip ?? '',
    });
    if (!receipt.created) res.set('Idempotent-Replayed', 'true');
    return res.status(201).json({
      trackingNumber: receipt.trackingNumber,
      accessCode: receipt.accessCode,
      receivedAt: receipt.receivedAt.toISOString(),
      acknowledgeBy: receipt.acknowledgeBy?.toISOString() ?? null,
      statusUrl: `${config.publicBaseUrl}/status`,
    });
  });

  router.post('/api/v1/status', async (req, res) => {
    const parsed = statusLookup.safeParse(req.body ?? {});
    if (!parsed.success) return sendProblem(req, res, invalidRequest, fieldErrors(parsed.error, req.t));
    const result = await status.lookup(parsed.data.trackingNumber, parsed.data.accessCode, req.ip ?? '');
    if (result.kind === 'limited') return sendProblem(req, res, problemOf('tooMany', { messageKey: 'status.limited' }));
    if (result.kind === 'notFound')
      return sendProblem(req, res, problemOf('notFound', { messageKey: 'status.notFound' }));
    return res.json(publicStatus(result.view, req));
  });

  return router;
}

/** What the status page shows, as data: public stage names, dates, findings in plain words. */
function publicStatus(view: StatusView, req: Request) {
  return {
    trackingNumber: view.trackingNumber,
    stage: view.stage,
    stageName: req.t(`publicStage.${view.stage}`),
    history: view.history.map((h) => ({ stage: h.stage, stageName: req.t(`publicStage.${h.stage}`), at: h.at })),
    nextStep: view.next
      ? { description: req.t(`status.next.${view.stage}`), targetDate: view.next.dueAt.toISOString() }
      : null,
    outcome: view.outcome,
    findings: view.findings.map((f) => ({
      category: req.language === 'es' ? f.nameEs : f.nameEn,
      finding: f.finding,
      findingName: f.finding ? req.t(`finding.${f.finding}`) : null,
    })),
  };
}
