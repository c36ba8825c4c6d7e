import type { Logger } from '../logger.js';
import { repeating } from './repeating.js';
import type { IntakeService } from './intake.service.js';
import type { SessionService } from './session.service.js';
import type { StatusService } from './status.service.js';

/**
 * Clears what is left behind: unfinished drafts (with their files), ended rate-limit windows and
 * ended staff sessions.
 */
export function housekeepingService(deps: {
  intake: IntakeService;
  status: StatusService;
  sessions: SessionService;
  logger: Logger;
}) {
  const run = async (): Promise<{ drafts: number; windows: number; sessions: number; keys: number }> => ({
    drafts: await deps.intake.purgeExpiredDrafts(),
    keys: await deps.intake.forgetSubmissionKeys(),
    windows: await deps.status.purgeEndedWindows(),
    sessions: await deps.sessions.purgeEnded(),
  });
  const timer = repeating(run, (error) => deps.logger.warn({ err: { message: error.message } }, 'housekeeping failed'));
  return {
    run,
    start(intervalMs = 10 * 60_000): void {
      timer.start(intervalMs);
    },
    stop: timer.stop,
  };
}
