import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { getSetting, putSetting } from '../db/settings.repository.js';
import type { Logger } from '../logger.js';
import type { AlertsService } from '../operations/alerts.service.js';
import type { CheckpointStore } from './audit.checkpoints.js';
import type { AuditService } from './audit.service.js';
import type { OutboxService } from '../mail/outbox.service.js';
import type { Quotas } from '../security/quotas.js';

/** The outcome of the last verification of the audit chain, for the admin page and /metrics. */
export interface LastVerification {
  at: string;
  ok: boolean;
  count: number;
  /** The checkpoint file it was compared against, if any. */
  against: string | null;
  reason: string | null;
}

export const LAST_VERIFICATION = 'audit.last_verification';
const DAY_MS = 24 * 60 * 60 * 1000;

export type AuditAnchor = ReturnType<typeof auditAnchor>;

/**
 * Anchors the audit chain outside the database once a day (#15 item 11): verifies the whole chain
 * against the newest checkpoint file, records the outcome, alerts the admins if it failed, and
 * otherwise writes a new checkpoint file (and mails it where AUDIT_CHECKPOINT_EMAIL is set). One
 * instance of a cluster does it a day.
 */
export function auditAnchor(deps: {
  db: Db;
  audit: AuditService;
  store: CheckpointStore;
  quotas: Quotas;
  alerts: AlertsService;
  outbox: OutboxService;
  logger: Logger;
  mailTo: string | undefined;
  clock: Clock;
}) {
  const now = deps.clock;

  /** Verifies against the newest checkpoint file and records the outcome. */
  async function verify(): Promise<LastVerification> {
    const newest = await deps.store.newest();
    const result = await deps.audit.verify(newest?.checkpoint);
    const outcome: LastVerification = {
      at: now().toISOString(),
      ok: result.ok,
      count: result.count,
      against: newest?.file ?? null,
      reason: result.ok ? null : result.reason,
    };
    await putSetting(deps.db, LAST_VERIFICATION, outcome);
    if (!result.ok) {
      await deps.alerts.raise(
        'auditFailed',
        `npm run audit:verify: ${result.reason} (at event ${result.brokenAt ?? '?'})`,
      );
    }
    return outcome;
  }

  /** Writes the chain's head to a file, and mails it where configured. */
  async function anchor(): Promise<string> {
    const checkpoint = await deps.audit.checkpoint();
    const file = await deps.store.write(checkpoint);
    if (deps.mailTo) {
      const to = deps.mailTo;
      await deps.db.transaction().execute((trx) =>
        deps.outbox.enqueue(trx, {
          to,
          template: 'auditCheckpoint',
          language: 'en',
          data: { checkpoint: JSON.stringify(checkpoint) },
        }),
      );
    }
    deps.logger.info({ count: checkpoint.count }, 'audit checkpoint written');
    return file;
  }

  return {
    verify,
    anchor,

    /** Once a day across the cluster: verify, then anchor if the chain holds. */
    async ifDue(): Promise<LastVerification | undefined> {
      const last = await getSetting<LastVerification>(deps.db, LAST_VERIFICATION);
      if (last && now().getTime() - new Date(last.at).getTime() < DAY_MS) return undefined;
      if (!(await deps.quotas.take('anchor', 'daily', 1, 1))) return undefined;
      const outcome = await verify();
      if (outcome.ok) await anchor();
      return outcome;
    },
  };
}
