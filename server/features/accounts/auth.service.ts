/**
 * Staff sign-in: passwords and codes checked with guessing held back (R7, R10), locks lifted, and
 * sign-in and sign-out audited. authService puts this together with second-factor enrolment
 * (auth.totpEnrolment.ts) and passwords (auth.passwords.ts) as the one service callers use.
 */

import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/executor.js';
import { clearBucketsStartingWith } from '../../platform/security/rateLimit.repository.js';
import {
  clearLoginFailures,
  consumeTotpStep,
  countLoginFailure,
  userByEmail,
  userById,
  type UserWithRoles,
} from './user.repository.js';
import type { AuditActor } from '../../platform/audit/audit.service.js';
import { hashPassword, verifyPassword } from '../../platform/security/password.js';
import { throttle, type Attempt, type ThrottlePolicy } from '../../platform/security/throttle.js';
import { openSecret, totpStep } from '../../platform/security/totp.js';
import { staffUserOf, type StaffUser } from './staffUser.js';
import { authContext, type AuthDeps } from './auth.context.js';
import { totpEnrolment } from './auth.totpEnrolment.js';
import { passwordMethods } from './auth.passwords.js';

export type { StaffUser } from './staffUser.js';
export { PASSWORD_LINK_MS } from './auth.passwords.js';

/** R7: how guessing passwords and codes is held back (see ThrottlePolicy). */
export const SIGN_IN_LIMITS: ThrottlePolicy = {
  name: 's',
  /** Failures in a row that lock an account for the client that failed, and for how long. */
  lockAfter: 5,
  lockMs: 15 * 60 * 1000,
  /** Failures on one account from anywhere, and from one client on any account, before attempts wait. */
  slowSubjectAfter: 10,
  slowClientAfter: 30,
  windowMs: 15 * 60 * 1000,
};

export type SignInResult =
  { kind: 'signedIn'; user: StaffUser } | { kind: 'needsCode'; userId: string } | { kind: 'refused' };

export type AuthService = ReturnType<typeof authService>;

export function authService(deps: AuthDeps) {
  const context = authContext(deps);
  const { now, audit } = context;
  // An unknown email is checked against this hash, so it takes as long as a wrong password (R10).
  let standIn: Promise<string> | undefined;
  const guesses = throttle({ db: deps.db, clientKey: deps.keys.client, clock: now }, SIGN_IN_LIMITS);
  /** Password and code failures count on the same account, named by its email as typed (R10: known or not). */
  const subjectOf = (email: string) => email.trim().toLowerCase();
  /** A TOTP secret sealed under any key of the ring (sealed anew under the current one when set). */
  const openTotp = (sealed: string) =>
    deps.keys.rings.totp.map((key) => openSecret(key, sealed)).find((secret) => secret !== undefined);

  /** A failed password or code (already counted by its attempt), audited; the one that locks says so. */
  async function fail(user: UserWithRoles | undefined, attempt: Attempt, requestId: string | undefined, step: string) {
    await deps.db.transaction().execute(async (trx) => {
      const actor: AuditActor = user ? { type: 'user', id: user.id } : { type: 'public' };
      await audit(trx, 'auth.signin', actor, { outcome: 'failure', requestId, details: { step } });
      if (!user) return;
      // For the admin's list: failures in a row, and when the lock on the client that failed ends.
      const lockedUntil = attempt.lockedNow ? new Date(now().getTime() + SIGN_IN_LIMITS.lockMs) : undefined;
      await countLoginFailure(trx, user.id, lockedUntil);
      if (lockedUntil) await audit(trx, 'auth.lockout', actor, { outcome: 'failure', requestId, details: { step } });
    });
  }

  return {
    /** The user behind a session or token, or undefined when they are gone or disabled. */
    async principal(userId: string): Promise<StaffUser | undefined> {
      const row = await userById(deps.db, userId);
      return row && !row.disabled_at ? staffUserOf(row) : undefined;
    },

    /**
     * R7/R10: an unknown email, a wrong password, a disabled account and a client locked out of
     * the account all get the same answer after the same work (one scrypt). A locked client is
     * refused even with the right password; another client with the right one is not (R7).
     */
    async signIn(input: {
      email: string;
      password: string;
      client: string;
      requestId?: string;
    }): Promise<SignInResult> {
      const attempt = await guesses.attempt(subjectOf(input.email), input.client);
      const user = await userByEmail(deps.db, input.email);
      standIn ??= hashPassword(randomBytes(16).toString('hex'));
      const matches = await verifyPassword(input.password, user?.password_hash ?? (await standIn));
      if (!user || !matches || attempt.locked || user.disabled_at) {
        await fail(user, attempt, input.requestId, attempt.locked ? 'locked' : 'password');
        return { kind: 'refused' };
      }
      // With a second factor the attempt stays counted until the code is right, so knowing the
      // password does not reset the count of guessed codes.
      if (user.totp_secret) {
        await attempt.passedFirstStep();
        return { kind: 'needsCode', userId: user.id };
      }
      await this.completeSignIn(user.id, attempt, input.requestId);
      return { kind: 'signedIn', user: staffUserOf(user) };
    },

    /** The second step for users with TOTP: a code works once (R9); failures count like passwords. */
    async checkCode(input: {
      userId: string;
      code: string;
      client: string;
      requestId?: string;
    }): Promise<StaffUser | undefined> {
      const at = now();
      const user = await userById(deps.db, input.userId);
      const attempt = await guesses.attempt(subjectOf(user?.email ?? input.userId), input.client);
      const secret = user?.totp_secret ? openTotp(user.totp_secret) : undefined;
      const step = secret && !attempt.locked && !user?.disabled_at ? totpStep(secret, input.code, at) : undefined;
      if (!user || step === undefined || !(await consumeTotpStep(deps.db, user.id, step))) {
        await fail(user, attempt, input.requestId, attempt.locked ? 'locked' : 'code');
        return undefined;
      }
      await this.completeSignIn(user.id, attempt, input.requestId);
      return staffUserOf(user);
    },

    /** Lifts every client's lock on an account (an admin's unlock). */
    async liftLocks(trx: Executor, user: { id: string; email: string }): Promise<void> {
      await clearLoginFailures(trx, user.id);
      await clearBucketsStartingWith(trx, guesses.subjectPrefix(subjectOf(user.email)));
    },

    /** The right secret: this client's failures on the account are forgotten (others' locks hold). */
    async completeSignIn(userId: string, attempt: Attempt, requestId: string | undefined): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        await clearLoginFailures(trx, userId);
        await attempt.succeeded(trx);
        await audit(
          trx,
          'auth.signin',
          { type: 'user', id: userId },
          { object: { type: 'user', id: userId }, requestId },
        );
      });
    },

    async signedOut(userId: string, requestId: string | undefined): Promise<void> {
      await deps.db
        .transaction()
        .execute((trx) =>
          audit(trx, 'auth.signout', { type: 'user', id: userId }, { object: { type: 'user', id: userId }, requestId }),
        );
    },

    ...totpEnrolment(context),
    ...passwordMethods(context),
  };
}
