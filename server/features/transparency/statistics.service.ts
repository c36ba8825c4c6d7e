import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { getSetting, putSetting } from '../../platform/db/settings.repository.js';
import type { Logger } from '../../platform/logger.js';
import { lockForRefresh, refreshStatistics } from './statistics.repository.js';
import { repeating } from '../../platform/operations/repeating.js';

const REFRESHED_AT = 'statistics.refreshed_at';
/** The time zone the kept figures were counted in: with another, every figure is counted again. */
const COUNTED_IN = 'statistics.time_zone';
/** How long pages reuse a read of the refresh time: another instance's refresh shows within this. */
const RECENT_READ_MS = 1_000;
const DEFAULT_INTERVAL_MS = 15 * 60_000;

export type StatisticsService = ReturnType<typeof statisticsService>;

/**
 * The public statistics: brought up to date with what changed since the last refresh in one
 * transaction (the dashboard, the report and the open data read only what this writes), with the
 * time of the last refresh kept for "last updated". Readers keep seeing the previous figures until
 * the refresh commits. Only the first refresh, or one after the agency's time zone changed, counts
 * every case.
 */
export function statisticsService(deps: { db: Db; timeZone: string; logger: Logger; clock: Clock }) {
  const now = deps.clock;
  const lastUpdated = async (): Promise<Date | undefined> => {
    const value = await getSetting<string>(deps.db, REFRESHED_AT);
    return value ? new Date(value) : undefined;
  };
  // The last read (or this process's last refresh), and how many refreshes this process has finished:
  // a read that began before a refresh finished must not replace what the refresh recorded.
  let recent: { value: Date | undefined; readAt: number } | undefined;
  let refreshes = 0;

  /** Refreshes now; with `wait` false, gives up (undefined) when another instance is refreshing. */
  const refreshNow = async (wait: boolean): Promise<Date | undefined> => {
    const at = now();
    const started = performance.now();
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await lockForRefresh(trx, wait))) return undefined;
      const countedIn = await getSetting<string>(trx, COUNTED_IN);
      const all = countedIn !== deps.timeZone;
      const complaints = await refreshStatistics(trx, deps.timeZone, all);
      if (all) await putSetting(trx, COUNTED_IN, deps.timeZone);
      await putSetting(trx, REFRESHED_AT, at.toISOString());
      return { complaints, all };
    });
    if (!done) return undefined;
    const ms = Math.round(performance.now() - started);
    deps.logger.info({ complaints: done.complaints, everyCase: done.all, ms }, 'statistics refreshed');
    refreshes += 1;
    recent = { value: at, readAt: performance.now() };
    return at;
  };
  const refresh = async (): Promise<Date> => (await refreshNow(true))!;
  let interval = DEFAULT_INTERVAL_MS;
  /**
   * The timer's refresh, once per cluster (#18 item 4): with several instances, one refreshes and
   * the others find the figures fresh (or the refresh under way) and leave them be.
   */
  const scheduled = async (): Promise<Date | undefined> => {
    const last = await lastUpdated();
    if (last && now().getTime() - last.getTime() < interval / 2) return undefined;
    return refreshNow(false);
  };
  const logFailure = (error: Error) =>
    deps.logger.warn({ err: { message: error.message } }, 'statistics refresh failed');
  const timer = repeating(scheduled, logFailure);
  return {
    refresh,
    scheduled,

    /** One refresh now, without waiting for it; a failure is logged. */
    refreshSoon(): void {
      refresh().catch(logFailure);
    },

    /** Refreshes the statistics every so often (15 minutes by default), once across the instances. */
    start(intervalMs = DEFAULT_INTERVAL_MS): void {
      interval = intervalMs;
      timer.start(intervalMs);
    },
    stop: timer.stop,

    /** When the statistics were last rebuilt, or undefined if never: read now. */
    lastUpdated,

    /**
     * The same, for pages: a read at most a second old is reused, so a busy public page does not
     * ask the database on every request. A refresh in this process shows at once.
     */
    async recentlyUpdated(): Promise<Date | undefined> {
      if (recent && performance.now() - recent.readAt < RECENT_READ_MS) return recent.value;
      const before = refreshes;
      const readAt = performance.now();
      const value = await lastUpdated();
      if (refreshes === before) recent = { value, readAt };
      return refreshes === before ? value : recent!.value;
    },
  };
}
