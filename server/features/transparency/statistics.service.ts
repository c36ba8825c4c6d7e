import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { getSetting, putSetting } from '../../platform/db/settings.repository.js';
import { lockForRebuild, rebuildOpenData, rebuildRollups } from './transparency.repository.js';
import type { Logger } from '../../platform/logger.js';
import { rebuildDisparityDays } from '../officers/disparity.repository.js';
import { repeating } from '../../platform/operations/repeating.js';

const REFRESHED_AT = 'statistics.refreshed_at';
/** How long pages reuse a read of the rebuild time: another instance's rebuild shows within this. */
const RECENT_READ_MS = 1_000;
const DEFAULT_INTERVAL_MS = 15 * 60_000;

export type StatisticsService = ReturnType<typeof statisticsService>;

/**
 * The public statistics: rebuilt from the cases in one transaction (the dashboard, the report and
 * the open data read only what this writes), with the time of the last rebuild kept for "last
 * updated". Readers keep seeing the previous figures until the rebuild commits.
 */
export function statisticsService(deps: { db: Db; timeZone: string; logger: Logger; clock: Clock }) {
  const now = deps.clock;
  const lastUpdated = async (): Promise<Date | undefined> => {
    const value = await getSetting<string>(deps.db, REFRESHED_AT);
    return value ? new Date(value) : undefined;
  };
  // The last read (or this process's last rebuild), and how many rebuilds this process has finished:
  // a read that began before a rebuild finished must not replace what the rebuild recorded.
  let recent: { value: Date | undefined; readAt: number } | undefined;
  let rebuilds = 0;

  /** Rebuilds now; with `wait` false, gives up (undefined) when another instance is rebuilding. */
  const rebuild = async (wait: boolean): Promise<Date | undefined> => {
    const at = now();
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await lockForRebuild(trx, wait))) return false;
      await rebuildRollups(trx, deps.timeZone);
      await rebuildOpenData(trx, deps.timeZone);
      await rebuildDisparityDays(trx, deps.timeZone, at);
      await putSetting(trx, REFRESHED_AT, at.toISOString());
      return true;
    });
    if (!done) return undefined;
    rebuilds += 1;
    recent = { value: at, readAt: performance.now() };
    return at;
  };
  const refresh = async (): Promise<Date> => (await rebuild(true))!;
  let interval = DEFAULT_INTERVAL_MS;
  /**
   * The timer's refresh, once per cluster (#18 item 4): with several instances, one rebuilds and
   * the others find the figures fresh (or the rebuild under way) and leave them be.
   */
  const scheduled = async (): Promise<Date | undefined> => {
    const last = await lastUpdated();
    if (last && now().getTime() - last.getTime() < interval / 2) return undefined;
    return rebuild(false);
  };
  const logFailure = (error: Error) =>
    deps.logger.warn({ err: { message: error.message } }, 'statistics refresh failed');
  const timer = repeating(scheduled, logFailure);
  return {
    refresh,
    scheduled,

    /** One rebuild now, without waiting for it; a failure is logged. */
    refreshSoon(): void {
      refresh().catch(logFailure);
    },

    /** Rebuilds the statistics every so often (15 minutes by default), once across the instances. */
    start(intervalMs = DEFAULT_INTERVAL_MS): void {
      interval = intervalMs;
      timer.start(intervalMs);
    },
    stop: timer.stop,

    /** When the statistics were last rebuilt, or undefined if never: read now. */
    lastUpdated,

    /**
     * The same, for pages: a read at most a second old is reused, so a busy public page does not
     * ask the database on every request. A rebuild in this process shows at once.
     */
    async recentlyUpdated(): Promise<Date | undefined> {
      if (recent && performance.now() - recent.readAt < RECENT_READ_MS) return recent.value;
      const before = rebuilds;
      const readAt = performance.now();
      const value = await lastUpdated();
      if (rebuilds === before) recent = { value, readAt };
      return rebuilds === before ? value : recent!.value;
    },
  };
}
