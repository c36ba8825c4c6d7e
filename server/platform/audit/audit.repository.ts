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

/**
 * Appends a row after the chain's head in one statement (#18 item 2: the lock is held for one
 * round trip fewer, with no work in Node while it is held): the head's hash is read, and the row's
 * hash made from it and `body` as auditHash makes it, SHA-256 over the head's hash, a line break
 * and the body, in UTF-8. The caller holds the chain's lock, taken in a statement before this one
 * (so this statement's snapshot sees every row committed before the lock).
 */
export async function appendToChain(
  trx: Executor,
  row: Omit<Insertable<AuditEventsTable>, 'prev_hash' | 'hash'>,
  body: string,
  genesis: string,
): Promise<{ id: number; hash: string }> {
  const columns = Object.keys(row) as Array<keyof typeof row>;
  const { rows } = await sql<{ id: number; hash: string }>`
    insert into audit_events (${sql.join(columns.map((c) => sql.ref(c)))}, prev_hash, hash)
    select ${sql.join(columns.map((c) => sql`${row[c]}`))}, head.hash,
        encode(sha256(convert_to(head.hash || ${'\n'} || ${body}::text, 'UTF8')), 'hex')
      from (select coalesce((select hash from audit_events order by id desc limit 1), ${genesis}) as hash) head
    returning id, hash`.execute(trx);
  return rows[0]!;
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
