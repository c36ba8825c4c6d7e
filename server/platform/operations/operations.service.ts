import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { outboxBacklog } from './operations.repository.js';
import { getSetting, putSetting } from '../db/settings.repository.js';
import type { Logger } from '../logger.js';
import type { AlertsService } from './alerts.service.js';
import { LAST_VERIFICATION, type LastVerification } from '../audit/audit.anchor.js';
import { repeating } from './repeating.js';

/** When the deadline sweeper last finished a pass, in any instance. */
export const SWEEPER_LAST_RUN = 'sweeper.last_run';
/** The sweeper runs every minute; this long without a pass is an outage an admin must hear of. */
export const SWEEPER_STALLED_MS = 10 * 60_000;

/** What an operator needs to see (#15 item 17): the admin page and /metrics read this. */
export interface OperationsSnapshot {
  at: Date;
  sweeper: { lastRun: Date | null; lagSeconds: number | null };
  outbox: { waiting: number; oldestDueSeconds: number | null; dead: number };
  audit: LastVerification | null;
  uploads: { freeBytes: number | null; minFreeBytes: number };
}

export type OperationsService = ReturnType<typeof operationsService>;

export function operationsService(deps: {
  db: Db;
  alerts: AlertsService;
  logger: Logger;
  /** Free bytes where uploads are written, or undefined when it cannot tell. */
  freeBytes: () => Promise<number | undefined>;
  minFreeBytes: number;
  clock: Clock;
}) {
  const now = deps.clock;
  const startedAt = now();
  const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

  async function lastSweep(): Promise<Date | null> {
    const value = await getSetting<string>(deps.db, SWEEPER_LAST_RUN);
    return value ? new Date(value) : null;
  }

  /** Alerts the admins when no instance has finished a sweep for ten minutes. */
  async function checkSweeper(): Promise<boolean> {
    const at = now();
    const last = await lastSweep();
    const since = last ?? startedAt;
    if (at.getTime() - since.getTime() < SWEEPER_STALLED_MS) return true;
    await deps.alerts.raise(
      'sweeperStalled',
      last
        ? `The deadline sweeper last finished a pass ${Math.round((at.getTime() - last.getTime()) / 60_000)} minutes ago (at ${last.toISOString()}): deadlines are not being warned of and email may not be going out. Check that the app is running and its log.`
        : 'The deadline sweeper has not finished a pass since this instance started ten minutes ago. Check the app log.',
    );
    return false;
  }

  const watchdog = repeating(checkSweeper, (error) =>
    deps.logger.warn({ err: { message: error.message } }, 'sweeper watchdog failed'),
  );

  return {
    /** Called after each sweep pass: the heartbeat the watchdog and /metrics read. */
    async sweeperRan(): Promise<void> {
      await putSetting(deps.db, SWEEPER_LAST_RUN, now().toISOString());
    },

    checkSweeper,

    async snapshot(): Promise<OperationsSnapshot> {
      const at = now();
      const [lastRun, backlog, audit, free] = await Promise.all([
        lastSweep(),
        outboxBacklog(deps.db, at),
        getSetting<LastVerification>(deps.db, LAST_VERIFICATION),
        deps.freeBytes(),
      ]);
      return {
        at,
        sweeper: { lastRun, lagSeconds: lastRun ? seconds(lastRun, at) : null },
        outbox: {
          waiting: backlog.waiting,
          oldestDueSeconds: backlog.oldest ? seconds(new Date(backlog.oldest), at) : null,
          dead: backlog.dead,
        },
        audit: audit ?? null,
        uploads: { freeBytes: free ?? null, minFreeBytes: deps.minFreeBytes },
      };
    },

    startWatchdog(intervalMs = 60_000): void {
      watchdog.start(intervalMs);
    },
    stopWatchdog: watchdog.stop,
  };
}
