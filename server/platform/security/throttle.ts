import type { Clock } from '../clock.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import {
  guardedAttempt,
  releaseAttempt,
  reserveAttempts,
  type GuardedCounts,
  type SqlCondition,
  type Reservation,
} from './rateLimit.repository.js';
import { hmacHex } from './keys.js';

/**
 * How guessing a secret (a password, a TOTP code, an access code) is held back (R7). A stranger
 * can slow guessing down but never keep out the person who holds the secret:
 * - one client failing on one account or number is locked for `lockMs` after `lockAfter`
 *   failures in a row, for that client only, and the lock does not extend while it holds;
 * - failures on one account or number from anywhere, and failures of one client on any account,
 *   make every later attempt wait, longer as they grow (capped), but are never refused for it.
 */
export interface ThrottlePolicy {
  /** Bucket name prefix, one per kind of secret. */
  name: string;
  lockAfter: number;
  lockMs: number;
  /** Failures in a window on one subject from any client before every attempt on it waits. */
  slowSubjectAfter: number;
  /** Failures in a window from one client on any subject before its attempts wait. */
  slowClientAfter: number;
  windowMs: number;
}

export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 5000;

/** The wait for an attempt `over` failures past a threshold: 250 ms doubling, at most 5 s. */
export function delayFor(over: number): number {
  return over <= 0 ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (over - 1), MAX_DELAY_MS);
}

export interface Counts {
  pair: number;
  subject: number;
  client: number;
}

/** What an attempt with these counts (its own included) may do. */
export function judge(
  policy: ThrottlePolicy,
  counts: Counts,
): { locked: boolean; lockedNow: boolean; delayMs: number } {
  return {
    locked: counts.pair > policy.lockAfter,
    /** This attempt, if it fails, is the one that locks its client out. */
    lockedNow: counts.pair === policy.lockAfter,
    delayMs: Math.max(
      delayFor(counts.subject - policy.slowSubjectAfter),
      delayFor(counts.client - policy.slowClientAfter),
    ),
  };
}

export interface Attempt {
  locked: boolean;
  lockedNow: boolean;
  /** The attempt was right: this client's failures in a row on the subject start again, and it counts as no failure. */
  succeeded(db?: Executor): Promise<void>;
  /** The first of two secrets was right: no failure, but it stays counted in a row until the second is. */
  passedFirstStep(): Promise<void>;
}

export type Throttle = ReturnType<typeof throttle>;

/**
 * Reserves an attempt before the secret is checked. A locked attempt is answered at once without
 * checking; any other waits as long as the counts say, then the caller checks the secret.
 */
export function throttle(
  deps: { db: Db; clientKey: Buffer; clock: Clock; wait?: (ms: number) => Promise<unknown> },
  policy: ThrottlePolicy,
) {
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  const hash = (kind: string, value: string) => hmacHex(deps.clientKey, `${policy.name}:${kind}:${value}`).slice(0, 32);
  const subjectPrefix = (subject: string) => `${policy.name}:p:${hash('subject', subject)}:`;

  /** The buckets of an attempt of `client` (an address) on `subject` (an account or a number). */
  function plan(subject: string, client: string) {
    // Names are keyed hashes: no address, email or tracking number is stored as such.
    const pair = `${subjectPrefix(subject)}${hash('client', client)}`;
    const all = `${policy.name}:s:${hash('subject', subject)}`;
    const from = `${policy.name}:c:${hash('client', client)}`;
    const reservations: Reservation[] = [
      { bucket: pair, lockAt: policy.lockAfter, lockMs: policy.lockMs },
      { bucket: all },
      { bucket: from },
    ];
    return { pair, all, from, reservations, windowMs: policy.windowMs };
  }
  type Plan = ReturnType<typeof plan>;

  /** Judges an attempt from its counts (reserved by the caller, maybe in a statement of its own) and waits if it must. */
  async function settle(planned: Plan, counts: ReadonlyMap<string, number>): Promise<Attempt> {
    const { pair, all, from } = planned;
    const verdict = judge(policy, {
      pair: counts.get(pair) ?? 1,
      subject: counts.get(all) ?? 1,
      client: counts.get(from) ?? 1,
    });
    if (!verdict.locked && verdict.delayMs > 0) await wait(verdict.delayMs);
    return {
      locked: verdict.locked,
      lockedNow: verdict.lockedNow,
      succeeded: (db: Executor = deps.db) => releaseAttempt(db, [pair], [all, from]),
      passedFirstStep: () => releaseAttempt(deps.db, [], [all, from]),
    };
  }

  /**
   * The attempt counted only if it fails, for a statement that checks the secret itself (`passed`,
   * see guardedAttempt): its common-table expressions and the counts column to settle from.
   */
  function guard(planned: Plan, now: Date, passed: SqlCondition) {
    return guardedAttempt(planned.reservations, now, planned.windowMs, passed, {
      bucket: planned.pair,
      lockAt: policy.lockAfter,
    });
  }

  /**
   * Judges a guarded attempt as if it had been reserved: a failure by the counts it made; a
   * success by the client's failures kept on the subject and the other buckets' counts, each with
   * this attempt added. Its `succeeded` is not to be called: the statement has done that.
   */
  function settleGuarded(planned: Plan, counts: GuardedCounts): Promise<Attempt> {
    if (counts.failed) return settle(planned, new Map(Object.entries(counts.failed)));
    const seen = counts.seen ?? {};
    return settle(
      planned,
      new Map([
        [planned.pair, (counts.passed?.[planned.pair] ?? 0) + 1],
        [planned.all, (seen[planned.all] ?? 0) + 1],
        [planned.from, (seen[planned.from] ?? 0) + 1],
      ]),
    );
  }

  return {
    plan,
    settle,
    guard,
    settleGuarded,

    /** Reserves the attempt of `client` on `subject`, and waits if it must. */
    async attempt(subject: string, client: string): Promise<Attempt> {
      const planned = plan(subject, client);
      return settle(planned, await reserveAttempts(deps.db, planned.reservations, deps.clock(), policy.windowMs));
    },

    /** The prefix of every client's lock on this subject, for an admin who lifts them. */
    subjectPrefix,
  };
}
