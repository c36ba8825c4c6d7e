import type { Executor } from './executor.js';

/**
 * A read made once per transaction: inside one, every call after the first answers what the first
 * read, however many clocks (say) the transaction starts; on the database outside a transaction,
 * every call reads. For what a transaction reads but does not change (the agency's settings).
 */
export function oncePerTransaction<T>(
  read: (db: Executor) => Promise<T>,
): ((db: Executor) => Promise<T>) & { prime(db: Executor, value: T): void } {
  const memo = new WeakMap<Executor, Promise<T>>();
  const once = (db: Executor) => {
    if (!db.isTransaction) return read(db);
    let value = memo.get(db);
    if (!value) memo.set(db, (value = read(db)));
    return value;
  };
  /** Gives a transaction, before its first read, what the caller read just before it began. */
  const prime = (db: Executor, value: T) => {
    if (db.isTransaction && !memo.has(db)) memo.set(db, Promise.resolve(value));
  };
  return Object.assign(once, { prime });
}
