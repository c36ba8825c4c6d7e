import { Router } from 'express';
import type { HealthService } from '../operations/health.service.js';

/** /healthz: the process is up. /readyz: the database answers (503 when it does not). JSON. */
export function setUpHealthChecks(health: HealthService): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await health.readiness();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return router;
}
