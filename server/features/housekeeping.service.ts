import type { Logger } from '../platform/logger.js';
import type { EvidenceJanitor } from '../platform/evidence/evidence.janitor.js';
import type { AuditAnchor } from '../platform/audit/audit.anchor.js';
import { repeating } from '../platform/operations/repeating.js';
import type { IntakeService } from './residents/intake.service.js';
import type { SessionService } from './accounts/session.service.js';
import type { StatusService } from './residents/status.service.js';

/**
 * Clears what is left behind: unfinished drafts (with their files), submission keys older than a
 * day, ended rate-limit windows, ended staff sessions, and files a crash left that no row points to;
 * and once a day, the audit chain verified and anchored in a file outside the database.
 */
export function housekeepingService(deps: {
  intake: IntakeService;
  status: StatusService;
  sessions: SessionService;
  janitor: EvidenceJanitor;
  anchor: AuditAnchor;
  logger: Logger;
}) {
  const run = async () => {
    const done = {
      drafts: await deps.intake.purgeExpiredDrafts(),
      keys: await deps.intake.forgetSubmissionKeys(),
      windows: await deps.status.purgeEndedWindows(),
      sessions: await deps.sessions.purgeEnded(),
      ...(await deps.janitor.sweep()),
      audit: (await deps.anchor.ifDue())?.ok,
    };
    if (done.files || done.temporaries) deps.logger.info(done, 'removed files no record points to');
    return done;
  };
  const timer = repeating(run, (error) => deps.logger.warn({ err: { message: error.message } }, 'housekeeping failed'));
  return {
    run,
    /** Runs once now (at start: a crash's leftovers go at once) and then every `intervalMs`. */
    start(intervalMs = 10 * 60_000): void {
      run().catch((error: Error) => deps.logger.warn({ err: { message: error.message } }, 'housekeeping failed'));
      timer.start(intervalMs);
    },
    stop: timer.stop,
  };
}
