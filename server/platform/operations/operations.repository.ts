import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

/** The outbox as an operator sees it: messages waiting, the oldest of them, and dead letters. */
export async function outboxBacklog(db: Executor, now: Date) {
  const { rows } = await sql<{ waiting: number; oldest: Date | null; dead: number }>`
    select
      (select count(*)::int from outbox where status in ('pending', 'sending')) as waiting,
      (select min(created_at) from outbox where status in ('pending', 'sending') and next_attempt_at <= ${now}) as oldest,
      (select count(*)::int from outbox where status = 'dead') as dead`.execute(db);
  return rows[0]!;
}
