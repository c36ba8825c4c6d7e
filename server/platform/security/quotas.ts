import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { quotaTaking, reserveAttempts } from './rateLimit.repository.js';
import { hmacHex } from './keys.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** What the anonymous may use up, and in what window (#15 item 6). */
export const QUOTA_KINDS = {
  /** Complaints filed by one client. */
  filing: { prefix: 'q:f', windowMs: HOUR_MS },
  /** Complaint forms started by one client (each may hold files for a day). */
  draft: { prefix: 'q:d', windowMs: HOUR_MS },
  /** Kilobytes of evidence uploaded by one client as a resident. */
  upload: { prefix: 'q:u', windowMs: DAY_MS },
  /** Receipt emails to one address. */
  receipt: { prefix: 'q:r', windowMs: DAY_MS },
  /** Alerts of one kind to the admins. */
  alert: { prefix: 'q:a', windowMs: HOUR_MS },
  /** Answers to one community trust survey wave from one client. */
  trustAnswer: { prefix: 'q:t', windowMs: HOUR_MS },
  /** The daily verification and checkpoint of the audit chain, by one instance. */
  anchor: { prefix: 'q:c', windowMs: HOUR_MS },
} as const;

export type QuotaKind = keyof typeof QUOTA_KINDS;

export type Quotas = ReturnType<typeof quotas>;

/**
 * Counters of use per client or address, in fixed windows, shared by every instance. Taking is
 * one atomic statement, so requests sent together cannot all pass under the limit; what is taken
 * stays taken for the window, refused or not. Names are keyed hashes: no address is stored.
 */
export function quotas(deps: { db: Db; key: Buffer; clock: Clock }) {
  const bucketOf = (kind: QuotaKind, who: string) => ({
    bucket: `${QUOTA_KINDS[kind].prefix}:${hmacHex(deps.key, `${kind}:${who}`).slice(0, 32)}`,
    windowMs: QUOTA_KINDS[kind].windowMs,
  });
  return {
    /** Takes `amount` of `kind` for `who`; false when that passes `limit` in the window. */
    async take(kind: QuotaKind, who: string, amount: number, limit: number, db: Executor = deps.db): Promise<boolean> {
      const { bucket, windowMs } = bucketOf(kind, who);
      const counts = await reserveAttempts(db, [{ bucket, amount }], deps.clock(), windowMs);
      return (counts.get(bucket) ?? amount) <= limit;
    },

    /**
     * take() as a part of the caller's statement (#18: what it allows is written in the same round
     * trip): the common-table expression that takes, and the condition that it passed no limit.
     */
    taking(kind: QuotaKind, who: string, amount: number, limit: number): ReturnType<typeof quotaTaking> {
      const { bucket, windowMs } = bucketOf(kind, who);
      return quotaTaking(bucket, amount, deps.clock(), windowMs, limit);
    },
  };
}
