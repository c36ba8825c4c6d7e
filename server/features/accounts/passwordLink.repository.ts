import type { Executor } from '../../platform/db/executor.js';

export async function insertPasswordLink(
  db: Executor,
  link: { tokenHash: string; userId: string; issuedBy: string | null; expiresAt: Date },
): Promise<void> {
  // A new link replaces any unused one: only the latest can set the password.
  await db.deleteFrom('password_resets').where('user_id', '=', link.userId).where('used_at', 'is', null).execute();
  await db
    .insertInto('password_resets')
    .values({ token_hash: link.tokenHash, user_id: link.userId, issued_by: link.issuedBy, expires_at: link.expiresAt })
    .execute();
}

/** The user a usable link belongs to (not used, not expired, user not disabled). */
/** The user of a live link, by its token's keyed hash under any key of the ring. */
export async function passwordLinkUser(db: Executor, tokenHashes: readonly string[], now: Date) {
  return db
    .selectFrom('password_resets as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('p.token_hash', 'in', tokenHashes)
    .where('p.used_at', 'is', null)
    .where('p.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Marks the link used; false when another request used it first. */
export async function usePasswordLink(db: Executor, tokenHashes: readonly string[], now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', 'in', tokenHashes)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
