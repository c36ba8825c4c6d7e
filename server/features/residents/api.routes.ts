import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../platform/config.js';
import { complaintSubmission, statusLookup } from './complaint.schemas.js';
import type { Services } from '../../compose.js';
import { SubmissionKeyReused, UnknownChoice } from './intake.service.js';
import type { StatusView } from './status.service.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { openApiDocument } from '../../platform/http/openapi.js';

/** An idempotency key must be unguessable: it also yields the complaint's access code on a repeat. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,128}$/;

/** The resident API: the same schemas, services and rules as the forms, in JSON (DESIGN.md). */
export function apiRoutes(services: Services, config: Config): Router {
  const router = Router();
  const { intake, status } = services;

  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(config.publicBaseUrl));
  });

  router.post('/api/v1/complaints', async (req, res) => {
    const key = req.get('Idempotency-Key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      return invalid(res, [{ field: 'Idempotency-Key', text: req.t('api.idempotencyKey') }]);
    }
    const parsed = complaintSubmission.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(res, fieldErrors(parsed.error, req.t));
    try {
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
    } catch (error) {
      if (error instanceof UnknownChoice)
        return invalid(res, [{ field: error.field, text: req.t('validation.choose') }]);
      if (error instanceof SubmissionKeyReused)
        return res.status(422).json({ error: 'idempotency_key_reused', message: req.t('api.idempotencyKeyReused') });
      throw error;
    }
  });

  router.post('/api/v1/status', async (req, res) => {
    const parsed = statusLookup.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(res, fieldErrors(parsed.error, req.t));
    const result = await status.lookup(parsed.data.trackingNumber, parsed.data.accessCode, req.ip ?? '');
    if (result.kind === 'limited')
      return res.status(429).json({ error: 'too_many_attempts', message: req.t('status.limited') });
    if (result.kind === 'notFound')
      return res.status(404).json({ error: 'not_found', message: req.t('status.notFound') });
    return res.json(publicStatus(result.view, req));
  });

  return router;
}

function invalid(res: Response, errors: Array<{ field: string; text: string }>) {
  return res.status(400).json({ error: 'invalid', errors: errors.map((e) => ({ field: e.field, message: e.text })) });
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
      category: req.language === 'es' ? f.name_es : f.name_en,
      finding: f.finding,
      findingName: f.finding ? req.t(`finding.${f.finding}`) : null,
    })),
  };
}
