import { Router, type RequestHandler } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { sameSecret } from '../security/keys.js';
import type { OperationsService } from '../operations/operations.service.js';

/**
 * GET /metrics in Prometheus's text format (#15 item 17), for a scraper holding METRICS_TOKEN (as
 * `Authorization: Bearer …`); anyone else, and everyone when no token is set, gets 404. Answers
 * while the database is down, with oversight_database_up 0.
 */
export function setUpMetrics(operations: OperationsService, token: string | undefined): RequestHandler {
  const router = Router();
  if (!token) return router;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const up = gauge('oversight_database_up', '1 when the database answered this scrape, else 0');
  const lag = gauge('oversight_sweeper_lag_seconds', 'Seconds since the deadline sweeper last finished a pass');
  const waiting = gauge('oversight_outbox_waiting', 'Emails queued and not yet sent');
  const oldest = gauge('oversight_outbox_oldest_due_seconds', 'Age in seconds of the oldest email due and unsent');
  const dead = gauge('oversight_outbox_dead_letters', 'Emails the mail server refused for good');
  const verifiedAt = gauge(
    'oversight_audit_last_verification_timestamp_seconds',
    'When the audit chain was last verified',
  );
  const verifiedOk = gauge(
    'oversight_audit_last_verification_ok',
    '1 when the last verification of the audit chain held',
  );
  const free = gauge('oversight_uploads_free_bytes', 'Free bytes where evidence files are written');
  const floor = gauge('oversight_uploads_min_free_bytes', 'Below this, uploads are refused');
  const fromDatabase = [lag, waiting, oldest, dead, verifiedAt, verifiedOk, free, floor];

  router.get('/metrics', async (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) return res.status(404).type('text/plain').send('Not found');
    for (const metric of fromDatabase) metric.reset();
    try {
      const snapshot = await operations.snapshot();
      up.set(1);
      if (snapshot.sweeper.lagSeconds !== null) lag.set(snapshot.sweeper.lagSeconds);
      waiting.set(snapshot.outbox.waiting);
      if (snapshot.outbox.oldestDueSeconds !== null) oldest.set(snapshot.outbox.oldestDueSeconds);
      dead.set(snapshot.outbox.dead);
      if (snapshot.audit) {
        verifiedAt.set(Math.round(new Date(snapshot.audit.at).getTime() / 1000));
        verifiedOk.set(snapshot.audit.ok ? 1 : 0);
      }
      if (snapshot.uploads.freeBytes !== null) free.set(snapshot.uploads.freeBytes);
      floor.set(snapshot.uploads.minFreeBytes);
    } catch {
      up.set(0);
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
