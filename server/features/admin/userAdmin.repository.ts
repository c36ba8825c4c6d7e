import type { Executor } from '../../platform/db/executor.js';
import type { Language, Role } from '../../platform/db/schema.js';

/** A member of staff as the administration pages show them: no password hash, no TOTP secret. */
export interface AdminUserRow {
  id: string;
  email: string;
  display_name: string;
  language: Language;
  totp_enrolled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  roles: Role[];
}

function adminUsers(db: Executor) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.email', 'u.display_name', 'u.language', 'u.failed_logins', 'u.locked_until', 'u.disabled_at'])
    .select((eb) => [
      eb('u.totp_secret', 'is not', null).$castTo<boolean>().as('totp_enrolled'),
      eb
        .fn<Role[]>('array', [eb.selectFrom('user_roles as r').select('r.role').whereRef('r.user_id', '=', 'u.id')])
        .as('roles'),
    ]);
}

export async function listUsers(db: Executor): Promise<AdminUserRow[]> {
  return adminUsers(db)
    .orderBy((eb) => eb.fn('lower', ['u.display_name']))
    .orderBy('u.id')
    .execute();
}

export async function adminUserById(db: Executor, id: string): Promise<AdminUserRow | undefined> {
  return adminUsers(db).where('u.id', '=', id).executeTakeFirst();
}

/** Holds the user's row until the transaction ends, so two admins' changes to one user do not interleave. */
export async function lockUser(trx: Executor, id: string): Promise<AdminUserRow | undefined> {
  const locked = await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return locked ? adminUserById(trx, id) : undefined;
}

export async function emailInUse(db: Executor, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function setUserDetails(
  trx: Executor,
  id: string,
  details: { display_name: string; language: Language },
): Promise<void> {
  await trx.updateTable('users').set(details).where('id', '=', id).execute();
}

export async function grantRoles(trx: Executor, id: string, roles: readonly Role[]): Promise<void> {
  if (roles.length === 0) return;
  await trx
    .insertInto('user_roles')
    .values(roles.map((role) => ({ user_id: id, role })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function revokeRoles(trx: Executor, id: string, roles: readonly Role[]): Promise<void> {
  if (roles.length === 0) return;
  await trx.deleteFrom('user_roles').where('user_id', '=', id).where('role', 'in', roles).execute();
}

export async function setDisabledAt(trx: Executor, id: string, at: Date | null): Promise<void> {
  await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
}
