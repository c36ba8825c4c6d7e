import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import type { AuditEventsTable } from '../db/schema.js';
import type { Insertable, Selectable } from 'kysely';

export type AuditRow = Selectable<AuditEventsTable>;

// Any constant will do, as long as nothing else takes this advisory lock.
export const CHAIN_LOCK = 7_310_042;

/** Serialises appends until the caller's transaction ends, so concurrent writers never fork the chain. */
export async function lockChain(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
}

export async function chainHead(db: Executor): Promise<{ id: number; hash: string } | undefined> {
  return db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function insertAuditRow(trx: Executor, row: Insertable<AuditEventsTable>): Promise<number> {
  const { id } = await trx.insertInto('audit_events').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Rows in chain order after `afterId`, a page at a time (keyset, so cost stays flat). */
export async function auditRowsAfter(db: Executor, afterId: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

export async function auditRowCount(db: Executor): Promise<number> {
  const { count } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export async function auditRowById(db: Executor, id: number): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
}
