import type { Executor } from '../../platform/db/executor.js';

export interface SessionRow {
  data: Record<string, unknown>;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

/** A session by its id's keyed hash under any key of the ring; which of them it is stored under. */
export async function sessionById(
  db: Executor,
  idHashes: readonly string[],
): Promise<(SessionRow & { id_hash: string }) | undefined> {
  return db
    .selectFrom('sessions')
    .select(['id_hash', 'data', 'created_at', 'last_seen_at', 'expires_at'])
    .where('id_hash', 'in', idHashes)
    .executeTakeFirst();
}

/** Moves a session to its id's hash under the current key (after a rotation). */
export async function rehashSession(db: Executor, from: string, to: string): Promise<void> {
  await db.updateTable('sessions').set({ id_hash: to }).where('id_hash', '=', from).execute();
}

/** Writes a session; its absolute expiry is set once, when the row is first written. */
export async function saveSession(
  db: Executor,
  row: { idHash: string; userId: string | null; data: Record<string, unknown>; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: row.idHash,
      user_id: row.userId,
      data: JSON.stringify(row.data),
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
    })
    .onConflict((oc) =>
      oc.column('id_hash').doUpdateSet({ user_id: row.userId, data: JSON.stringify(row.data), last_seen_at: row.now }),
    )
    .execute();
}

export async function touchSession(db: Executor, idHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Signs a person out everywhere: after a password reset, or when an admin disables them. */
export async function deleteSessionsOfUser(db: Executor, userId: string, exceptIdHash?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) query = query.where('id_hash', '<>', exceptIdHash);
  await query.execute();
}

/** Sessions past their absolute lifetime or idle for longer than `idleMs`. */
export async function purgeEndedSessions(db: Executor, now: Date, idleMs: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
