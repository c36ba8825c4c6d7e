import type { Logger } from '../logger.js';
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
  let timer: NodeJS.Timeout | undefined;
  return {
    async run(): Promise<{ drafts: number; windows: number; sessions: number }> {
      return {
        drafts: await deps.intake.purgeExpiredDrafts(),
        windows: await deps.status.purgeEndedWindows(),
        sessions: await deps.sessions.purgeEnded(),
      };
    },
    start(intervalMs = 10 * 60_000): void {
      timer ??= setInterval(() => {
        this.run().catch((error: Error) =>
          deps.logger.warn({ err: { message: error.message } }, 'housekeeping failed'),
        );
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
