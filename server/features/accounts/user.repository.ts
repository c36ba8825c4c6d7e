import type { Executor } from '../../platform/db/executor.js';
import type { NewUser, Role } from '../../platform/db/schema.js';

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertUser(db: Executor, user: NewUser, roles: readonly Role[]): Promise<string> {
  const { id } = await db.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  if (roles.length > 0) {
    await db
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: id, role })))
      .execute();
  }
  return id;
}

export async function setPasswordHash(db: Executor, emails: string[], passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: new Date() })
    .where((eb) =>
      eb(
        eb.fn('lower', ['email']),
        'in',
        emails.map((e) => e.toLowerCase()),
      ),
    )
    .execute();
}

export interface UserWithRoles {
  id: string;
  email: string;
  display_name: string;
  language: 'en' | 'es';
  password_hash: string;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  roles: Role[];
}

function withRoles(db: Executor) {
  return db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.language',
      'u.password_hash',
      'u.totp_secret',
      'u.failed_logins',
      'u.locked_until',
      'u.disabled_at',
    ])
    .select((eb) =>
      eb
        .fn<Role[]>('array', [eb.selectFrom('user_roles as r').select('r.role').whereRef('r.user_id', '=', 'u.id')])
        .as('roles'),
    );
}

export async function userByEmail(db: Executor, email: string): Promise<UserWithRoles | undefined> {
  return withRoles(db)
    .where((eb) => eb(eb.fn('lower', ['u.email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function userById(db: Executor, id: string): Promise<UserWithRoles | undefined> {
  return withRoles(db).where('u.id', '=', id).executeTakeFirst();
}

/**
 * Counts a failed sign-in on the account, for the admin's list; `lockedUntil` when this failure
 * locked the client that made it out (R7). Who may try is decided by the attempt counters, not here.
 */
export async function countLoginFailure(db: Executor, userId: string, lockedUntil: Date | undefined): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({
      failed_logins: eb('failed_logins', '+', 1),
      ...(lockedUntil ? { locked_until: lockedUntil } : {}),
    }))
    .where('id', '=', userId)
    .execute();
}

export async function clearLoginFailures(db: Executor, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function setTotpSecret(db: Executor, userId: string, secret: string | null): Promise<void> {
  await db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', userId).execute();
}

/** Uses a TOTP time step once (R9): true only for the first use of a step later than the last. */
export async function consumeTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setPasswordHashOf(db: Executor, userId: string, passwordHash: string, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}
