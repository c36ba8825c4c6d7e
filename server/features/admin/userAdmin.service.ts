import type { Clock } from '../../platform/clock.js';
import { may } from '../../domain/policy.js';
import { randomBytes } from 'node:crypto';
import { revokeApiTokensOfUser } from '../accounts/apiToken.repository.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { Executor } from '../../platform/db/executor.js';
import type { Language, Role } from '../../domain/vocabulary.js';
import { deleteSessionsOfUser } from '../accounts/session.repository.js';
import { insertUser, setTotpSecret } from '../accounts/user.repository.js';
import {
  adminUserById,
  emailInUse,
  grantRoles,
  listUsers,
  lockUser,
  revokeRoles,
  setDisabledAt,
  setUserDetails,
  type AdminUserRow,
} from './userAdmin.repository.js';
import type { AuditEntry, AuditService } from '../../platform/audit/audit.service.js';
import type { AuthService } from '../accounts/auth.service.js';
import { hashPassword } from '../../platform/security/password.js';

import { ROLES, type StaffUser } from '../../domain/vocabulary.js';

export { ROLES };

/** A user as the administration sees them: the staff user, with their lock and whether they are disabled. */
export interface AdminUser extends StaffUser {
  failedLogins: number;
  /** Only while the lock lasts. */
  lockedUntil: Date | null;
  disabledAt: Date | null;
}

export interface UserDetails {
  displayName: string;
  language: Language;
  roles: Role[];
}

/** Why an admin's change was refused: each is shown beside a field. */
export type UserProblem = 'notFound' | 'emailTaken' | 'selfAdmin' | 'selfDisable' | 'selfTwoStep';

export type UserAdminService = ReturnType<typeof userAdminService>;

/** Staff accounts for admins (R1, R9, R12): every change audited with the account, in one transaction. */
export function userAdminService(deps: { db: Db; audit: AuditService; auth: AuthService; clock: Clock }) {
  const { db } = deps;
  const now = deps.clock;
  const view = (row: AdminUserRow): AdminUser => ({
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    language: row.language,
    roles: ROLES.filter((role) => row.roles.includes(role)),
    totpEnrolled: row.totp_enrolled,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until && row.locked_until > now() ? row.locked_until : null,
    disabledAt: row.disabled_at,
  });
  const record = (
    trx: Executor,
    type: string,
    by: string,
    userId: string,
    requestId?: string,
    details: AuditEntry['details'] = {},
  ) =>
    deps.audit.record(trx, {
      type,
      actor: { type: 'user', id: by },
      object: { type: 'user', id: userId },
      requestId,
      details,
    });

  /** Runs a change on one locked account; 'notFound' when there is no such account. */
  async function onUser<T>(id: string, change: (trx: Executor, user: AdminUser) => Promise<T>) {
    return db.transaction().execute(async (trx) => {
      const row = await lockUser(trx, id);
      return row ? change(trx, view(row)) : ('notFound' as const);
    });
  }

  return {
    list: async () => (await listUsers(db)).map(view),

    get: async (id: string) => {
      const row = await adminUserById(db, id);
      return row ? view(row) : undefined;
    },

    /**
     * A new account with no usable password: the hash of a secret nobody keeps, so signing in
     * costs the same as for any account (R10). The user sets a password from the emailed link.
     */
    async create(by: string, input: UserDetails & { email: string }, requestId?: string) {
      const unusable = await hashPassword(randomBytes(32).toString('base64url'));
      try {
        return await db.transaction().execute(async (trx) => {
          if (await emailInUse(trx, input.email)) return { problem: 'emailTaken' as const };
          const user = { email: input.email, display_name: input.displayName, language: input.language };
          const id = await insertUser(trx, { ...user, password_hash: unusable }, input.roles);
          await record(trx, 'user.create', by, id, requestId, { roles: input.roles, language: input.language });
          await deps.auth.issuePasswordLink(trx, { id, email: input.email, language: input.language }, by);
          await record(trx, 'user.password.link', by, id, requestId);
          return { id };
        });
      } catch (error) {
        // Two admins adding the same address at once: the unique index refuses the second.
        if (isUniqueViolation(error)) return { problem: 'emailTaken' as const };
        throw error;
      }
    },

    /** Name, language and roles; a role change counts from the user's next request (R12). */
    update(by: string, id: string, input: UserDetails, requestId?: string): Promise<UserProblem | undefined> {
      return onUser(id, async (trx, user) => {
        if (by === id && may(user.roles, 'admin.use') && !may(input.roles, 'admin.use')) return 'selfAdmin';
        const granted = input.roles.filter((role) => !user.roles.includes(role));
        const revoked = user.roles.filter((role) => !input.roles.includes(role));
        await grantRoles(trx, id, granted);
        await revokeRoles(trx, id, revoked);
        for (const role of granted) await record(trx, 'user.role.grant', by, id, requestId, { role });
        for (const role of revoked) await record(trx, 'user.role.revoke', by, id, requestId, { role });
        const fields = [
          ...(input.displayName !== user.displayName ? ['display_name'] : []),
          ...(input.language !== user.language ? ['language'] : []),
        ];
        if (fields.length > 0) {
          await setUserDetails(trx, id, { display_name: input.displayName, language: input.language });
          await record(trx, 'user.update', by, id, requestId, { fields });
        }
        return undefined;
      });
    },

    /**
     * Disabling signs the user out everywhere at once and revokes their API tokens, waiting or
     * active, so enabling the account again does not bring them back; the sign-in check refuses
     * the user after.
     */
    setDisabled(by: string, id: string, disabled: boolean, requestId?: string): Promise<UserProblem | undefined> {
      return onUser(id, async (trx, user) => {
        if (disabled && by === id) return 'selfDisable';
        if (disabled === (user.disabledAt !== null)) return undefined;
        const at = now();
        await setDisabledAt(trx, id, disabled ? at : null);
        if (disabled) await deleteSessionsOfUser(trx, id);
        await record(trx, disabled ? 'user.disable' : 'user.enable', by, id, requestId);
        const revoked = disabled ? await revokeApiTokensOfUser(trx, id, at) : [];
        for (const tokenId of revoked) {
          await deps.audit.record(trx, {
            type: 'api_token.revoke',
            actor: { type: 'user', id: by },
            object: { type: 'api_token', id: tokenId },
            requestId,
            details: { credentialId: tokenId, userId: id, reason: 'user.disable' },
          });
        }
        return undefined;
      });
    },

    sendPasswordLink(by: string, id: string, requestId?: string): Promise<UserProblem | undefined> {
      return onUser(id, async (trx, user) => {
        await deps.auth.issuePasswordLink(trx, { id, email: user.email, language: user.language }, by);
        await record(trx, 'user.password.link', by, id, requestId);
        return undefined;
      });
    },

    /**
     * For a lost phone: the user signs in with their password alone and enrols again. Their
     * sessions end, since one of them may be on the lost phone (and an admin's passed the old code).
     */
    resetTwoStep(by: string, id: string, requestId?: string): Promise<UserProblem | undefined> {
      return onUser(id, async (trx, user) => {
        if (by === id) return 'selfTwoStep';
        if (!user.totpEnrolled) return undefined;
        await setTotpSecret(trx, id, null);
        await deleteSessionsOfUser(trx, id);
        await record(trx, 'user.mfa.reset', by, id, requestId);
        return undefined;
      });
    },

    unlock(by: string, id: string, requestId?: string): Promise<UserProblem | undefined> {
      return onUser(id, async (trx, user) => {
        await deps.auth.liftLocks(trx, user);
        await record(trx, 'user.unlock', by, id, requestId);
        return undefined;
      });
    },
  };
}
