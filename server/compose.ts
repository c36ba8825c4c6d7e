import path from 'node:path';
import type { Config } from './platform/config.js';
import type { DatabaseHandle } from './platform/db/database.js';
import type { Translator } from './platform/i18n.js';
import type { Logger } from './platform/logger.js';
import { adminDeadlineService } from './features/admin/adminDeadline.service.js';
import { adminOutboxService } from './features/admin/adminOutbox.service.js';
import { apiTokenService } from './features/accounts/apiToken.service.js';
import { auditService } from './platform/audit/audit.service.js';
import { auditLogService } from './features/admin/auditLog.service.js';
import { boardMeetingService } from './features/board/boardMeeting.service.js';
import { boardMinutesService } from './features/board/boardMinutes.service.js';
import { boardRecordService } from './features/board/boardRecord.service.js';
import { boardSettingsService } from './features/board/boardSettings.service.js';
import { boardVoteService } from './features/board/boardVote.service.js';
import { authService } from './features/accounts/auth.service.js';
import { caseFileService } from './features/cases/caseFile.service.js';
import { caseQueueService } from './features/cases/caseQueue.service.js';
import { caseWorkService } from './features/cases/caseWork.service.js';
import { deadlineService } from './platform/deadlines/deadline.service.js';
import { dashboardService } from './features/transparency/dashboard.service.js';
import { demoService } from './demo/demo.service.js';
import { evidenceService } from './platform/evidence/evidence.service.js';
import { localEvidenceStorage } from './platform/evidence/evidence.storage.js';
import { healthService } from './platform/operations/health.service.js';
import { holidayService } from './features/admin/holiday.service.js';
import { housekeepingService } from './platform/operations/housekeeping.service.js';
import { quotas } from './platform/security/quotas.js';
import { evidenceJanitor } from './platform/evidence/evidence.janitor.js';
import { auditAnchor } from './platform/audit/audit.anchor.js';
import { checkpointStore } from './platform/audit/audit.checkpoints.js';
import { freeBytes } from './platform/operations/diskSpace.js';
import { operationsService } from './platform/operations/operations.service.js';
import { alertsService } from './platform/operations/alerts.service.js';
import { intakeService } from './features/residents/intake.service.js';
import { earlyInterventionService } from './features/officers/earlyIntervention.service.js';
import { deriveKeys } from './platform/security/keys.js';
import { openDataService } from './features/transparency/openData.service.js';
import { referenceService } from './platform/reference/reference.service.js';
import { residentCaseService } from './features/residents/residentCase.service.js';
import { retentionService } from './features/admin/retention.service.js';
import { statisticsService } from './features/transparency/statistics.service.js';
import { statusService } from './features/residents/status.service.js';
import { surveyService } from './features/surveys/survey.service.js';
import { userAdminService } from './features/admin/userAdmin.service.js';
import { mailService, type MailService } from './platform/mail/mail.service.js';
import { officerService } from './features/officers/officer.service.js';
import { outboxService } from './platform/mail/outbox.service.js';
import { seedService } from './demo/seed.service.js';
import { sessionService } from './features/accounts/session.service.js';
import { effectRunner } from './platform/workflow/workflow.effects.js';
import { workflowService } from './platform/workflow/workflow.service.js';

export interface ServiceDependencies {
  config: Config;
  database: DatabaseHandle;
  translator: Translator;
  logger: Logger;
  /** Tests pass their own; by default built from the config. */
  mail?: MailService;
  /** The clock of the staff sessions and sign-in; tests pass a fake one. */
  now?: () => Date;
}

/** The composition root of the use cases: a plain factory, no container. */
export function services({ config, database, translator, logger, mail, now }: ServiceDependencies) {
  const mailer = mail ?? mailService(mailOptions(config));
  const outbox = outboxService({
    db: database.db,
    mail: mailer,
    translator,
    logger,
    agencyName: config.agencyName,
    messageIdDomain: new URL(config.publicBaseUrl).hostname,
  });
  const audit = auditService(database.db);
  const deadlines = deadlineService({
    db: database.db,
    outbox,
    logger,
    timeZone: config.agencyTimeZone,
    holidayRegion: config.agencyHolidayRegion,
    publicBaseUrl: config.publicBaseUrl,
    ...(now ? { now } : {}),
  });
  const keys = deriveKeys(config.secrets);
  const usage = quotas({ db: database.db, key: keys.client, now: now ?? (() => new Date()) });
  const surveys = surveyService({
    db: database.db,
    audit,
    outbox,
    keys,
    publicBaseUrl: config.publicBaseUrl,
    ...(now ? { now } : {}),
  });
  const workflow = workflowService({
    db: database.db,
    audit,
    runEffects: effectRunner({
      deadlines,
      outbox,
      surveys,
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.agencyTimeZone,
      // One address gets a few receipts a day, however many complaints name it (#15 item 6).
      mayEmailReceipt: (trx, email) =>
        usage.take('receipt', email.trim().toLowerCase(), 1, config.limits.receiptsPerDay, trx),
    }),
    ...(now ? { now } : {}),
  });
  const boardVotes = boardVoteService({ db: database.db, audit, workflow, deadlines, ...(now ? { now } : {}) });
  const boardMeetings = boardMeetingService({
    db: database.db,
    audit,
    workflow,
    votes: boardVotes,
    timeZone: config.agencyTimeZone,
    ...(now ? { now } : {}),
  });
  const storage = localEvidenceStorage(path.join(config.uploadDir, 'files'));
  const evidence = evidenceService({ storage });
  const alerts = alertsService({ db: database.db, outbox, quotas: usage, logger, publicBaseUrl: config.publicBaseUrl });
  outbox.onDeadLetter((reason) => {
    void alerts.raise(
      'deadLetters',
      `The mail server refused a message for good (${reason}). It is kept for you to check and send again.`,
    );
  });
  const operations = operationsService({
    db: database.db,
    alerts,
    logger,
    freeBytes: () => freeBytes(config.uploadDir),
    minFreeBytes: config.limits.minFreeBytes,
    ...(now ? { now } : {}),
  });
  const anchor = auditAnchor({
    db: database.db,
    audit,
    store: checkpointStore(config.auditCheckpoints.dir),
    quotas: usage,
    alerts,
    outbox,
    logger,
    mailTo: config.auditCheckpoints.mailTo,
    ...(now ? { now } : {}),
  });
  const intake = intakeService({
    db: database.db,
    workflow,
    audit,
    evidence,
    keys,
    quotas: usage,
    limits: config.limits,
    ...(now ? { now } : {}),
  });
  const status = statusService({ db: database.db, keys, ...(now ? { now } : {}) });
  const sessions = sessionService({ db: database.db, keys, ...(now ? { now } : {}) });
  const auth = authService({
    db: database.db,
    audit,
    outbox,
    keys,
    publicBaseUrl: config.publicBaseUrl,
    agencyName: config.agencyName,
    ...(now ? { now } : {}),
  });
  const statistics = statisticsService({
    db: database.db,
    timeZone: config.agencyTimeZone,
    logger,
    ...(now ? { now } : {}),
  });
  const caseFile = caseFileService({ db: database.db, audit, ...(now ? { now } : {}) });
  return {
    userAdmin: userAdminService({ db: database.db, audit, auth, ...(now ? { now } : {}) }),
    adminDeadlines: adminDeadlineService({ db: database.db, audit, ...(now ? { now } : {}) }),
    holidays: holidayService({
      db: database.db,
      audit,
      timeZone: config.agencyTimeZone,
      region: config.agencyHolidayRegion,
      ...(now ? { now } : {}),
    }),
    adminOutbox: adminOutboxService({ db: database.db, audit, ...(now ? { now } : {}) }),
    apiTokens: apiTokenService({ db: database.db, audit, auth, keys, ...(now ? { now } : {}) }),
    audit,
    auditLog: auditLogService({ db: database.db, audit, timeZone: config.agencyTimeZone }),
    retention: retentionService({
      db: database.db,
      audit,
      evidence,
      timeZone: config.agencyTimeZone,
      ...(now ? { now } : {}),
    }),
    boardSettings: boardSettingsService({ db: database.db, audit }),
    boardMeetings,
    boardVotes,
    boardMinutes: boardMinutesService({ db: database.db }),
    boardRecord: boardRecordService({ db: database.db }),
    caseFile,
    caseQueue: caseQueueService({ db: database.db, ...(now ? { now } : {}) }),
    caseWork: caseWorkService({ db: database.db, audit, workflow, caseFile, evidence, storage }),
    keys,
    evidence,
    intake,
    officers: officerService({ db: database.db, audit, ...(now ? { now } : {}) }),
    earlyIntervention: earlyInterventionService({
      db: database.db,
      audit,
      timeZone: config.agencyTimeZone,
      ...(now ? { now } : {}),
    }),
    status,
    surveys,
    statistics,
    openData: openDataService({ db: database.db, statistics }),
    dashboard: dashboardService({
      db: database.db,
      translator,
      statistics,
      timeZone: config.agencyTimeZone,
      ...(now ? { now } : {}),
    }),
    reference: referenceService(database.db),
    residentCase: residentCaseService({ db: database.db, workflow, audit }),
    sessions,
    auth,
    housekeeping: housekeepingService({
      intake,
      anchor,
      status,
      sessions,
      logger,
      janitor: evidenceJanitor({
        db: database.db,
        storage,
        incomingDir: path.join(config.uploadDir, 'incoming'),
        graceMs: config.limits.orphanGraceMs,
        ...(now ? { now } : {}),
      }),
    }),
    quotas: usage,
    alerts,
    auditAnchor: anchor,
    operations,
    health: healthService(database),
    mail: mailer,
    outbox,
    deadlines,
    workflow,
    demo: demoService(database.db, workflow, { meetings: boardMeetings, votes: boardVotes }),
    seed: seedService(database.db),
  };
}

export type Services = ReturnType<typeof services>;

export function mailOptions(config: Config) {
  return {
    smtpUrl: config.smtpUrl,
    from: `"${config.agencyName.replaceAll('"', '')}" <no-reply@${new URL(config.publicBaseUrl).hostname}>`,
    captureDir: path.join(config.dataDir, 'mail'),
  };
}
