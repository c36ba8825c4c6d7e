import { sql, type RawBuilder } from 'kysely';
import type { Executor, StatementGuard } from '../db/executor.js';

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
 * With `when`, only if that condition holds (a failure found in the same statement).
 */
export function reserveAttemptsQuery(
  reservations: Reservation[],
  now: Date,
  windowMs: number,
  when?: RawBuilder<boolean>,
) {
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
  const rows = sql.join(
    reservations.map((r) => sql`(${r.bucket}::text, ${r.amount ?? 1}::int, ${firstEnd(r)}::timestamptz)`),
  );
  return sql<{ bucket: string; failures: number; window_ends_at: Date }>`
    insert into rate_limits (bucket, failures, window_ends_at)
    select bucket, failures, window_ends_at from (values ${rows}) as v(bucket, failures, window_ends_at)
    ${when ? sql`where ${when}` : sql``}
    on conflict (bucket) do update set
      failures = case when rate_limits.window_ends_at <= ${now} then excluded.failures
        else rate_limits.failures + excluded.failures end,
      window_ends_at = case when rate_limits.window_ends_at <= ${now} then excluded.window_ends_at
        else ${lockedEnd} end
    returning bucket, failures, window_ends_at`;
}

/**
 * A quota taken as a part of a caller's statement (#18): the common-table expression that counts
 * `amount` in the bucket (taken, allowed or not), and the condition that it passed no `limit`.
 */
export function quotaTaking(
  bucket: string,
  amount: number,
  now: Date,
  windowMs: number,
  limit: number,
): StatementGuard {
  return {
    cte: sql`quota_taken as (${reserveAttemptsQuery([{ bucket, amount }], now, windowMs)})`,
    when: sql<boolean>`(select failures from quota_taken) <= ${limit}`,
  };
}

/**
 * An attempt counted only if it fails, as common-table expressions for a statement that checks
 * the secret itself (`passed`): a status lookup is one round trip (#18 item 2). A failure counts in
 * every bucket as reserveAttemptsQuery does (`guard_failed`). A success writes only the client's
 * own bucket (`clear`): it keeps it while it is locked (`lockAt` failures in a window that has not
 * ended) and clears it otherwise (`guard_passed`: the failures kept, so `lockAt` or more means
 * locked); it reads the other buckets for the wait they ask (`guard_seen`). The success is an
 * upsert, not an update, so that it queues on the bucket behind failures sent at the same moment
 * even before the bucket exists: an update would find no row while the first failures are still
 * uncommitted, and a right code sent among a burst of guesses would be judged before them (R7).
 * `counts` is the JSON the throttle settles from.
 */
export function guardedAttempt(
  reservations: Reservation[],
  now: Date,
  windowMs: number,
  passed: RawBuilder<boolean>,
  clear: { bucket: string; lockAt: number },
) {
  const others = reservations.map((r) => r.bucket).filter((b) => b !== clear.bucket);
  const ctes = sql`
    guard_failed as (${reserveAttemptsQuery(reservations, now, windowMs, sql<boolean>`not (${passed})`)}),
    guard_passed as (
      insert into rate_limits (bucket, failures, window_ends_at)
      select ${clear.bucket}::text, 0, ${new Date(now.getTime() + windowMs)}::timestamptz where (${passed})
      on conflict (bucket) do update set failures =
        case when rate_limits.window_ends_at > ${now} and rate_limits.failures >= ${clear.lockAt}
          then rate_limits.failures else 0 end
      returning bucket, failures),
    guard_seen as (
      select bucket, failures from rate_limits
       where bucket = any(${others}::text[]) and window_ends_at > ${now} and (${passed}))`;
  const counts = sql<GuardedCounts>`json_build_object(
      'failed', (select json_object_agg(bucket, failures) from guard_failed),
      'passed', (select json_object_agg(bucket, failures) from guard_passed),
      'seen', (select json_object_agg(bucket, failures) from guard_seen))`;
  return { ctes, counts };
}

/** A condition in SQL (whether the secret matched), for guardedAttempt. */
export type SqlCondition = RawBuilder<boolean>;

/** What guardedAttempt's statement returns: the counts of a failure, or those a success read. */
export interface GuardedCounts {
  failed: Record<string, number> | null;
  passed: Record<string, number> | null;
  seen: Record<string, number> | null;
}

/** Counts one attempt in each bucket; the counts after it, by bucket. */
export async function reserveAttempts(
  db: Executor,
  reservations: Reservation[],
  now: Date,
  windowMs: number,
): Promise<Map<string, number>> {
  const { rows } = await reserveAttemptsQuery(reservations, now, windowMs).execute(db);
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
