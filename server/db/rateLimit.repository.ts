import { sql } from 'kysely';
import type { Executor } from './executor.js';

// Failure counters shared by every app instance (status lookups, staff sign-in), in windows.

export async function failuresOf(db: Executor, bucket: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('rate_limits')
    .select('failures')
    .where('bucket', '=', bucket)
    .where('window_ends_at', '>', now)
    .executeTakeFirst();
  return row?.failures ?? 0;
}

/** Counts a failure in each bucket, starting a new window where the old one has ended. */
export async function recordFailures(db: Executor, buckets: string[], now: Date, windowMs: number): Promise<void> {
  const ends = new Date(now.getTime() + windowMs);
  await db
    .insertInto('rate_limits')
    .values(buckets.map((bucket) => ({ bucket, failures: 1, window_ends_at: ends })))
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet({
        failures: sql`case when rate_limits.window_ends_at <= ${now} then 1 else rate_limits.failures + 1 end`,
        window_ends_at: sql`case when rate_limits.window_ends_at <= ${now} then excluded.window_ends_at
          else rate_limits.window_ends_at end`,
      }),
    )
    .execute();
}

export async function purgeEndedWindows(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_ends_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
