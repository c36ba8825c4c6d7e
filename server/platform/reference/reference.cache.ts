import type { Db } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { oncePerTransaction } from '../db/transactionMemo.js';
import { referenceSince, type ReferenceRows } from './reference.repository.js';

/** The reference data as the app uses it: the lists residents choose from, the clocks' rules. */
export interface ReferenceData {
  districts: ReferenceRows['districts'];
  categories: ReferenceRows['categories'];
  /** The admin's policy for a clock kind, where there is one (else the kind's default applies). */
  policies: ReadonlyMap<string, ReferenceRows['policies'][number]>;
  /** The admin's holidays, 'YYYY-MM-DD'. */
  holidays: readonly string[];
  statutoryBasis: 'discovery' | 'incident';
}

export type ReferenceCache = ReturnType<typeof referenceCache>;

/**
 * The reference data kept in memory (#18 item 2): each use asks the database for its version
 * (one small read, once per transaction) and reads the data again only when it moved, however it
 * was changed and by which instance (migration 0021's triggers). So a filing reads one number
 * where it read five lists, and no instance works from a list another has changed.
 */
export function referenceCache(db: Db) {
  let kept: { version: bigint; data: ReferenceData } | undefined;

  async function read(executor: Executor): Promise<ReferenceData> {
    const known = kept;
    const { version, rows } = await referenceSince(executor, known?.version.toString());
    if (!rows) return known!.data;
    const fresh = { version: BigInt(version), data: shape(rows) };
    // A slower read of an older version never replaces a newer one.
    if (!kept || kept.version < fresh.version) kept = fresh;
    return fresh.data;
  }
  const once = oncePerTransaction(read);

  return {
    /** The reference data as the database holds it now (in a transaction: as it held it at its first use). */
    current: (executor: Executor = db): Promise<ReferenceData> => once(executor),
    /**
     * Carries data read just before a transaction into it, so the transaction does not ask again
     * (a filing checks its choices, then files with the same lists and clocks).
     */
    carry: (trx: Executor, data: ReferenceData): void => once.prime(trx, data),
  };
}

function shape(rows: ReferenceRows): ReferenceData {
  return {
    districts: rows.districts,
    categories: rows.categories,
    policies: new Map(rows.policies.map((p) => [p.kind, p])),
    holidays: rows.holidays,
    statutoryBasis: rows.statutoryBasis === 'incident' ? 'incident' : 'discovery',
  };
}
