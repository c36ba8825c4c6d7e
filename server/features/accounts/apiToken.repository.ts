import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import type { Role } from '../../platform/db/schema.js';

/** Bearer tokens of the staff API: only the keyed hash of a token is stored, never the token. */

/** A token authorised for a user, with no secret yet: its holder collects it (collectApiToken). */
export async function insertApiToken(
  db: Executor,
  token: { userId: string; name: string; issuedBy: string },
): Promise<string> {
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, name: token.name, issued_by: token.issuedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every token, newest first, with the names of its user and of the admin who issued it. */
export async function listApiTokens(db: Executor) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('users as i', 'i.id', 't.issued_by')
    .select([
      't.id',
      't.name',
      't.user_id',
      'u.display_name as user_name',
      'u.email as user_email',
      'u.disabled_at as user_disabled_at',
      'i.display_name as issuer_name',
      't.created_at',
      't.last_used_at',
      't.revoked_at',
      't.collected_at',
      't.expires_at',
    ])
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .execute();
}

/** One user's tokens, newest first, with the name of the admin who issued each. */
export async function apiTokensOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('users as i', 'i.id', 't.issued_by')
    .select([
      't.id',
      't.name',
      'i.display_name as issuer_name',
      't.created_at',
      't.last_used_at',
      't.revoked_at',
      't.collected_at',
      't.expires_at',
    ])
    .where('t.user_id', '=', userId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .execute();
}

/** One of this user's tokens, held until the transaction ends; undefined for another's or none. */
export async function lockApiTokenOfUser(trx: Executor, id: string, userId: string) {
  return trx
    .selectFrom('api_tokens')
    .select(['id', 'name', 'revoked_at', 'collected_at', 'expires_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Gives a waiting token its secret (as a keyed hash); false when it was collected or revoked already. */
export async function collectApiToken(
  trx: Executor,
  id: string,
  token: { tokenHash: string; collectedAt: Date; expiresAt: Date },
): Promise<boolean> {
  const result = await trx
    .updateTable('api_tokens')
    .set({ token_hash: token.tokenHash, collected_at: token.collectedAt, expires_at: token.expiresAt })
    .where('id', '=', id)
    .where('collected_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function apiTokenById(db: Executor, id: string) {
  return db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
}

/**
 * A token by its keyed hash under any key of the ring, with its user's state and roles of the moment:
 * the whole of a bearer request's sign-in in one statement (#18), prepared on PostgreSQL.
 */
export async function apiTokenByHash(db: Executor, tokenHashes: readonly string[]) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.revoked_at', 't.last_used_at', 't.expires_at', 'u.disabled_at'])
    .select((eb) =>
      eb
        .fn<Role[]>('array', [eb.selectFrom('user_roles as r').select('r.role').whereRef('r.user_id', '=', 'u.id')])
        .as('roles'),
    )
    .where('t.token_hash', 'in', tokenHashes)
    .modifyFront(sql.raw(PREPARED))
    .executeTakeFirst();
}

/**
 * A condition for another statement: the token is still in force (not revoked, not expired at `at`)
 * for its user, who is not disabled and holds exactly these roles. A read made for a token this
 * process remembers carries it, so the token is checked in the read's own snapshot and round trip.
 */
export function tokenInForce(
  token: { tokenId: string; userId: string; roles: readonly Role[] },
  at: Date,
): RawBuilder<boolean> {
  // Byte order ("C"), as the roles are sorted in memory; '' for none.
  return sql<boolean>`(exists (select 1 from api_tokens ft join users fu on fu.id = ft.user_id
      where ft.id = ${token.tokenId} and ft.user_id = ${token.userId} and ft.revoked_at is null
        and ft.expires_at > ${at} and fu.disabled_at is null)
    and coalesce((select string_agg(fr.role, ',' order by fr.role collate "C") from user_roles fr
                   where fr.user_id = ${token.userId}), '') = ${[...token.roles].sort().join(',')})`;
}

/** Marks the token used, unless it was marked after `notAfter` already (at most one write a minute). */
export async function touchApiToken(db: Executor, id: string, at: Date, notAfter: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notAfter)]))
    .execute();
}

/** Revokes a token still in force; false when there is none with this id or it was revoked already. */
export async function revokeApiToken(db: Executor, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Revokes every token of a user that is waiting or not yet expired (a disabled account), and
 * returns their ids. Expired tokens stay as they are: they cannot work again anyway.
 */
export async function revokeApiTokensOfUser(trx: Executor, userId: string, at: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}

/** Users who may be given a token: every account that is not disabled. */
export async function tokenHolders(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('disabled_at', 'is', null)
    .orderBy('display_name')
    .orderBy('email')
    .execute();
}

export async function activeUser(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}
