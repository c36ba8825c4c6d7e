/**
 * The platform (issue #16): what every feature stands on, built once and handed to them. The
 * database, the clock, keys, audit, mail and its outbox, deadlines, evidence storage, rate limits,
 * alerts and operations. The workflow's dispatch is added by the composition root once the
 * surveys feature it notifies exists (server/compose.ts).
 */
import path from 'node:path';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import type { Translator } from './i18n.js';
import type { Logger } from './logger.js';
import { systemClock, type Clock } from './clock.js';
import { auditAnchor } from './audit/audit.anchor.js';
import { checkpointStore } from './audit/audit.checkpoints.js';
import { auditService } from './audit/audit.service.js';
import { deadlineService } from './deadlines/deadline.service.js';
import { evidenceJanitor } from './evidence/evidence.janitor.js';
import { s3EvidenceStorage } from './evidence/evidence.s3.js';
import { evidenceService } from './evidence/evidence.service.js';
import { localEvidenceStorage } from './evidence/evidence.storage.js';
import { mailService, type MailService } from './mail/mail.service.js';
import { outboxService } from './mail/outbox.service.js';
import { alertsService } from './operations/alerts.service.js';
import { freeBytes } from './operations/diskSpace.js';
import { healthService } from './operations/health.service.js';
import { operationsService } from './operations/operations.service.js';
import { referenceCache } from './reference/reference.cache.js';
import { referenceService } from './reference/reference.service.js';
import { deriveKeys } from './security/keys.js';
import { quotas } from './security/quotas.js';

export interface PlatformDependencies {
  config: Config;
  database: DatabaseHandle;
  translator: Translator;
  logger: Logger;
  /** Tests pass their own; by default built from the config. */
  mail?: MailService;
  /** The clock of the whole app; tests pass a fake one. */
  now?: Clock;
}

export function platform({ config, database, translator, logger, mail, now }: PlatformDependencies) {
  const clock: Clock = now ?? systemClock;
  const db = database.db;
  const mailer = mail ?? mailService(mailOptions(config));
  const outbox = outboxService({
    db,
    mail: mailer,
    translator,
    logger,
    agencyName: config.agencyName,
    messageIdDomain: new URL(config.publicBaseUrl).hostname,
    clock,
  });
  const audit = auditService(db, clock);
  const reference = referenceService(referenceCache(db));
  const deadlines = deadlineService({
    db,
    outbox,
    logger,
    timeZone: config.agencyTimeZone,
    holidayRegion: config.agencyHolidayRegion,
    publicBaseUrl: config.publicBaseUrl,
    clock,
    reference,
  });
  const keys = deriveKeys(config.secrets);
  const usage = quotas({ db, key: keys.client, clock });
  // Uploads arrive in UPLOAD_DIR/incoming either way; what is accepted is stored here (#18 item 5).
  const storage =
    config.evidenceStore.kind === 's3'
      ? s3EvidenceStorage(config.evidenceStore)
      : localEvidenceStorage(path.join(config.uploadDir, 'files'));
  const alerts = alertsService({ db, outbox, quotas: usage, logger, publicBaseUrl: config.publicBaseUrl });
  outbox.onDeadLetter((reason) => {
    void alerts.raise(
      'deadLetters',
      `The mail server refused a message for good (${reason}). It is kept for you to check and send again.`,
    );
  });
  return {
    config,
    database,
    db,
    translator,
    logger,
    clock,
    mail: mailer,
    outbox,
    audit,
    deadlines,
    keys,
    quotas: usage,
    storage,
    evidence: evidenceService({ storage }),
    alerts,
    operations: operationsService({
      db,
      alerts,
      logger,
      freeBytes: () => freeBytes(config.uploadDir),
      minFreeBytes: config.limits.minFreeBytes,
      clock,
    }),
    auditAnchor: auditAnchor({
      db,
      audit,
      store: checkpointStore(config.auditCheckpoints.dir),
      quotas: usage,
      alerts,
      outbox,
      logger,
      mailTo: config.auditCheckpoints.mailTo,
      clock,
    }),
    janitor: evidenceJanitor({
      db,
      storage,
      incomingDir: path.join(config.uploadDir, 'incoming'),
      graceMs: config.limits.orphanGraceMs,
      clock,
    }),
    health: healthService(database),
    reference,
  };
}

export type Platform = ReturnType<typeof platform>;

export function mailOptions(config: Config) {
  return {
    smtpUrl: config.smtpUrl,
    from: `"${config.agencyName.replaceAll('"', '')}" <no-reply@${new URL(config.publicBaseUrl).hostname}>`,
    captureDir: path.join(config.dataDir, 'mail'),
  };
}
