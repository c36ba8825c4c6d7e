import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { getSetting, putSetting } from '../db/settings.repository.js';
import { rebuildOpenData, rebuildRollups } from '../db/transparency.repository.js';
import type { Logger } from '../logger.js';
import { repeating } from './repeating.js';

const REFRESHED_AT = 'statistics.refreshed_at';

export type StatisticsService = ReturnType<typeof statisticsService>;

/**
 * The public statistics: rebuilt from the cases in one transaction (the dashboard, the report and
 * the open data read only what this writes), with the time of the last rebuild kept for "last
 * updated". Readers keep seeing the previous figures until the rebuild commits.
 */
export function statisticsService(deps: { db: Db; timeZone: string; logger: Logger; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const refresh = async (): Promise<Date> => {
    const at = now();
    await deps.db.transaction().execute(async (trx) => {
      // One rebuild at a time across instances; plain reads are not blocked by this lock mode.
      await sql`lock table stats_rollup, open_data_rows in exclusive mode`.execute(trx);
      await rebuildRollups(trx, deps.timeZone);
      await rebuildOpenData(trx, deps.timeZone);
      await putSetting(trx, REFRESHED_AT, at.toISOString());
    });
    return at;
  };
  const logFailure = (error: Error) =>
    deps.logger.warn({ err: { message: error.message } }, 'statistics refresh failed');
  const timer = repeating(refresh, logFailure);
  return {
    refresh,

    /** One rebuild now, without waiting for it; a failure is logged. */
    refreshSoon(): void {
      refresh().catch(logFailure);
    },

    /** Rebuilds the statistics every so often (15 minutes by default). */
    start(intervalMs = 15 * 60_000): void {
      timer.start(intervalMs);
    },
    stop: timer.stop,

    /** When the statistics were last rebuilt, or undefined if never. */
    async lastUpdated(): Promise<Date | undefined> {
      const value = await getSetting<string>(deps.db, REFRESHED_AT);
      return value ? new Date(value) : undefined;
    },
  };
}
