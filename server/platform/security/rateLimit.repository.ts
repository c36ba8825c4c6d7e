import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

// Attempt counters shared by every app instance (status lookups, staff sign-in, survey links), in windows.

/** One counter to reserve an attempt in; `lockAt` attempts in its window hold it shut for `lockMs` from then. */
export interface Reservation {
  bucket: string;
  /** How much the attempt counts (bytes for a quota); 1 by default. */
  amount?: number;
  lockAt?: number;
  lockMs?: number;
}

/**
 * The statement that counts one more attempt in each bucket and returns each bucket's count after
 * it (R7): checked and incremented at once, so attempts sent together cannot all be judged against
 * the count before any of them. A window starts at its first attempt and does not move; reaching
 * `lockAt` moves its end to `lockMs` from then, once, so attempts while locked never extend it.
 */
export function reserveAttemptsQuery(db: Executor, reservations: Reservation[], now: Date, windowMs: number) {
  const ends = new Date(now.getTime() + windowMs);
  const lockEnds = (r: Reservation) => new Date(now.getTime() + (r.lockMs ?? windowMs));
  const lockCases = reservations.filter((r) => r.lockAt !== undefined);
  const lockedEnd = lockCases.length
    ? sql`case ${sql.join(
        lockCases.map(
          (r) => sql`when rate_limits.bucket = ${r.bucket} and rate_limits.failures + 1 = ${r.lockAt!}
            then ${lockEnds(r)}::timestamptz`,
        ),
        sql` `,
      )} else rate_limits.window_ends_at end`
    : sql`rate_limits.window_ends_at`;
  // A first attempt that already reaches its lock (lockAt 1) is locked from the start.
  const firstEnd = (r: Reservation) => (r.lockAt === 1 ? lockEnds(r) : ends);
  return db
    .insertInto('rate_limits')
    .values(reservations.map((r) => ({ bucket: r.bucket, failures: r.amount ?? 1, window_ends_at: firstEnd(r) })))
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet({
        failures: sql`case when rate_limits.window_ends_at <= ${now} then excluded.failures
          else rate_limits.failures + excluded.failures end`,
        window_ends_at: sql`case when rate_limits.window_ends_at <= ${now} then excluded.window_ends_at
          else ${lockedEnd} end`,
      }),
    )
    .returning(['bucket', 'failures', 'window_ends_at']);
}

/** Counts one attempt in each bucket; the counts after it, by bucket. */
export async function reserveAttempts(
  db: Executor,
  reservations: Reservation[],
  now: Date,
  windowMs: number,
): Promise<Map<string, number>> {
  const rows = await reserveAttemptsQuery(db, reservations, now, windowMs).execute();
  return new Map(rows.map((row) => [row.bucket, row.failures]));
}

/**
 * An attempt that succeeded was not a failure: `clear` buckets start again (consecutive failures),
 * `uncount` buckets give back the one attempt reserved.
 */
export async function releaseAttempt(db: Executor, clear: string[], uncount: string[]): Promise<void> {
  // One statement: a successful lookup pays for one more round trip, not two.
  await sql`with cleared as (delete from rate_limits where bucket = any(${clear}::text[]))
    update rate_limits set failures = greatest(failures - 1, 0) where bucket = any(${uncount}::text[])`.execute(db);
}

/** Removes every bucket whose name starts with `prefix` (an account an admin unlocks, for every client). */
export async function clearBucketsStartingWith(db: Executor, prefix: string): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where('bucket', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
}

export async function purgeEndedWindows(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_ends_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
