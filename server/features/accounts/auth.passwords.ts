/**
 * Passwords: changing one's own, and the one-time links an admin sends to set one (issued by the
 * outbox, used once).
 */

import { randomBytes } from 'node:crypto';
import type { StaffUser } from './staffUser.js';
import type { AuthContext } from './auth.context.js';
import { deleteSessionsOfUser } from './session.repository.js';
import { setPasswordHashOf, userById } from './user.repository.js';
import { insertPasswordLink, passwordLinkUser, usePasswordLink } from './passwordLink.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import { hmacHex, hmacHexAll } from '../../platform/security/keys.js';
import { sessionIdHash } from './session.service.js';
import { hashPassword, verifyPassword } from '../../platform/security/password.js';
import { passwordProblem, type PasswordProblem } from '../../platform/security/passwordPolicy.js';

export const PASSWORD_LINK_MS = 24 * 60 * 60 * 1000;

/** The password methods of the auth service. */
export function passwordMethods({ deps, now, audit }: AuthContext) {
  const linkHash = (token: string) => hmacHex(deps.keys.passwordLink, token);
  const linkHashes = (token: string) => hmacHexAll(deps.keys.rings.passwordLink, token);

  return {
    /** Changing one's own password needs the current one; every other session of the user ends. */
    async changePassword(
      user: StaffUser,
      input: { current: string; next: string; keepSessionId: string; requestId?: string },
    ): Promise<'wrongPassword' | PasswordProblem | undefined> {
      const row = await userById(deps.db, user.id);
      if (!row || !(await verifyPassword(input.current, row.password_hash))) return 'wrongPassword';
      const problem = passwordProblem(input.next, { email: row.email, name: row.display_name });
      if (problem) return problem;
      const hash = await hashPassword(input.next);
      await deps.db.transaction().execute(async (trx) => {
        await setPasswordHashOf(trx, user.id, hash, now());
        await deleteSessionsOfUser(trx, user.id, sessionIdHash(deps.keys, input.keepSessionId));
        await audit(
          trx,
          'auth.password.change',
          { type: 'user', id: user.id },
          {
            object: { type: 'user', id: user.id },
            requestId: input.requestId,
          },
        );
      });
      return undefined;
    },

    /** An admin sends a one-time link to set a password (new account, forgotten password), by the outbox. */
    async issuePasswordLink(
      trx: Executor,
      target: { id: string; email: string; language: 'en' | 'es' },
      by: string | null,
    ) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + PASSWORD_LINK_MS);
      await insertPasswordLink(trx, { tokenHash: linkHash(token), userId: target.id, issuedBy: by, expiresAt });
      await deps.outbox.enqueue(trx, {
        to: target.email,
        template: 'passwordLink',
        language: target.language,
        data: { link: `${deps.publicBaseUrl}/staff/password/${token}` },
      });
    },

    async passwordLinkUser(token: string) {
      return /^[\w-]{43}$/.test(token) ? passwordLinkUser(deps.db, linkHashes(token), now()) : undefined;
    },

    /** Sets the password from a link: once only, and every session of that user ends. */
    async usePasswordLink(
      token: string,
      password: string,
      requestId?: string,
    ): Promise<'expired' | PasswordProblem | undefined> {
      const user = await this.passwordLinkUser(token);
      if (!user) return 'expired';
      const problem = passwordProblem(password, { email: user.email, name: user.display_name });
      if (problem) return problem;
      const hash = await hashPassword(password);
      return deps.db.transaction().execute(async (trx) => {
        if (!(await usePasswordLink(trx, linkHashes(token), now()))) return 'expired' as const;
        await setPasswordHashOf(trx, user.id, hash, now());
        await deleteSessionsOfUser(trx, user.id);
        await audit(
          trx,
          'auth.password.reset',
          { type: 'user', id: user.id },
          { object: { type: 'user', id: user.id }, requestId },
        );
        return undefined;
      });
    },
  };
}
