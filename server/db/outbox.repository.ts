import { sql, type Selectable } from 'kysely';
import type { Executor } from './executor.js';
import type { Language, OutboxTable } from './schema.js';

export type OutboxRow = Selectable<OutboxTable>;

export async function enqueueMessage(
  trx: Executor,
  message: { recipient: string; template: string; language: Language; data: Record<string, unknown> },
): Promise<string> {
  const { id } = await trx
    .insertInto('outbox')
    .values({ ...message, data: JSON.stringify(message.data) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Takes up to `limit` due messages for this worker: they become 'sending' with a lease, so other
 * instances skip them (FOR UPDATE SKIP LOCKED) and a crashed worker's claim expires.
 */
export async function claimDueMessages(db: Executor, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    update outbox set status = 'sending', next_attempt_at = ${leaseUntil}, attempts = attempts + 1
     where id in (select id from outbox
                   where status in ('pending', 'sending') and next_attempt_at <= ${now}
                   order by next_attempt_at
                   limit ${limit}
                   for update skip locked)
    returning *`.execute(db);
  return rows;
}

/** A claim: the row and the attempt this worker holds. Marks apply only while the claim is still ours. */
export interface Claim {
  id: string;
  attempts: number;
}

function ours(db: Executor, claim: Claim) {
  return db
    .updateTable('outbox')
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts);
}

export async function markSent(db: Executor, claim: Claim, at: Date): Promise<void> {
  await ours(db, claim).set({ status: 'sent', sent_at: at, last_error: null }).execute();
}

export async function markRetry(db: Executor, claim: Claim, nextAttemptAt: Date, error: string): Promise<void> {
  await ours(db, claim).set({ status: 'pending', next_attempt_at: nextAttemptAt, last_error: error }).execute();
}

export async function markDead(db: Executor, claim: Claim, error: string): Promise<void> {
  await ours(db, claim).set({ status: 'dead', last_error: error }).execute();
}

export async function deadLetters(db: Executor): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('status', '=', 'dead').orderBy('created_at', 'desc').execute();
}

export async function retryDeadLetter(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
