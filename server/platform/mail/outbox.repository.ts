import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor, StatementGuard } from '../db/executor.js';
import type { Language, OutboxTable } from '../db/schema.js';

export type OutboxRow = Selectable<OutboxTable>;

export async function enqueueMessage(
  trx: Executor,
  message: { recipient: string; template: string; language: Language; data: Record<string, unknown> },
  dueAt: Date,
): Promise<string> {
  const { id } = await trx
    .insertInto('outbox')
    .values({ ...message, data: JSON.stringify(message.data), next_attempt_at: dueAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Queues one message if the guard's condition holds, in one statement with the guard (#18); whether it did. */
export async function enqueueMessageIf(
  trx: Executor,
  message: { recipient: string; template: string; language: Language; data: Record<string, unknown> },
  dueAt: Date,
  guard: StatementGuard,
): Promise<boolean> {
  const selected = sql<SelectedMessage>`
    select ${message.recipient}::text as recipient, ${message.template}::text as template,
           ${message.language}::text as language, ${JSON.stringify(message.data)}::jsonb as data
     where ${guard.when}`;
  const { rows } = await sql<{ queued: number }>`
    with ${guard.cte}, queued as (${insertSelectedMessages(selected, dueAt)} returning 1)
    select count(*)::int as queued from queued`.execute(trx);
  return (rows[0]?.queued ?? 0) > 0;
}

/** A message as a query selects it for queueing: its data already jsonb. */
export interface SelectedMessage {
  recipient: string;
  template: string;
  language: Language;
  data: unknown;
}

/** A query of the messages to queue, and the part of a statement that queues them. */
export type MessagesQuery = RawBuilder<SelectedMessage>;
export type QueueingPart = RawBuilder<unknown>;

/**
 * The insert that queues every message `messages` selects, due at `dueAt`: a part of the caller's
 * own statement, so mail that follows from a set-based change is queued with it in one round trip
 * (the deadline sweep, #18).
 */
export function insertSelectedMessages(messages: MessagesQuery, dueAt: Date): QueueingPart {
  return sql`
    insert into outbox (recipient, template, language, data, next_attempt_at)
    select m.recipient, m.template, m.language, m.data, ${dueAt}::timestamptz from (${messages}) m`;
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

/** The newest dead letters, at most `limit`, and how many there are in all (administration). */
export async function deadLetterPage(db: Executor, limit: number): Promise<{ rows: OutboxRow[]; total: number }> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'dead')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  const { count } = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'dead')
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count) };
}

/** An admin's retry: the dead letter is due again now with a fresh count of attempts; its template, or undefined. */
export async function requeueDeadLetter(trx: Executor, id: string, now: Date): Promise<string | undefined> {
  const row = await trx
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returning('template')
    .executeTakeFirst();
  return row?.template;
}
