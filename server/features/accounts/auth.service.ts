import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import { clearBucketsStartingWith } from '../../platform/security/rateLimit.repository.js';
import { deleteSessionsOfUser } from './session.repository.js';
import {
  clearLoginFailures,
  consumeTotpStep,
  countLoginFailure,
  setPasswordHashOf,
  setTotpSecret,
  userByEmail,
  userById,
  type UserWithRoles,
} from './user.repository.js';
import { insertPasswordLink, passwordLinkUser, usePasswordLink } from './passwordLink.repository.js';
import type { Role } from '../../domain/vocabulary.js';
import type { AuditActor, AuditService } from '../../platform/audit/audit.service.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';
import { sessionIdHash } from './session.service.js';
import type { OutboxService } from '../../platform/mail/outbox.service.js';
import { hashPassword, verifyPassword } from '../../platform/security/password.js';
import { passwordProblem, type PasswordProblem } from '../../platform/security/passwordPolicy.js';
import { throttle, type Attempt, type ThrottlePolicy } from '../../platform/security/throttle.js';
import { enrolment, newTotpSecret, openSecret, sealSecret, totpStep } from '../../platform/security/totp.js';

/** A signed-in member of staff, as every request sees them: read fresh, so changes apply at once (R12). */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  language: 'en' | 'es';
  roles: Role[];
  totpEnrolled: boolean;
}

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

export const PASSWORD_LINK_MS = 24 * 60 * 60 * 1000;

export type SignInResult =
  { kind: 'signedIn'; user: StaffUser } | { kind: 'needsCode'; userId: string } | { kind: 'refused' };

export type AuthService = ReturnType<typeof authService>;

function staffUserOf(row: UserWithRoles): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    language: row.language,
    roles: [...row.roles].sort(),
    totpEnrolled: row.totp_secret !== null,
  };
}

export function authService(deps: {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  keys: Keys;
  publicBaseUrl: string;
  agencyName: string;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  // An unknown email is checked against this hash, so it takes as long as a wrong password (R10).
  let standIn: Promise<string> | undefined;
  const guesses = throttle({ db: deps.db, clientKey: deps.keys.client, now }, SIGN_IN_LIMITS);
  /** Password and code failures count on the same account, named by its email as typed (R10: known or not). */
  const subjectOf = (email: string) => email.trim().toLowerCase();
  const linkHash = (token: string) => hmacHex(deps.keys.passwordLink, token);
  const linkHashes = (token: string) => hmacHexAll(deps.keys.rings.passwordLink, token);
  /** A TOTP secret sealed under any key of the ring (sealed anew under the current one when set). */
  const openTotp = (sealed: string) =>
    deps.keys.rings.totp.map((key) => openSecret(key, sealed)).find((secret) => secret !== undefined);

  const audit = (
    trx: Executor,
    type: string,
    actor: AuditActor,
    extra: Partial<Parameters<AuditService['record']>[1]>,
  ) => deps.audit.record(trx, { type, actor, ...extra });

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

    /** A new secret to show while the user enrols; it is stored only once they confirm a code from it. */
    async startEnrolment(user: StaffUser) {
      const secret = newTotpSecret();
      return { secret, ...(await enrolment(secret, user.email, deps.agencyName)) };
    },

    async enrolmentPicture(user: StaffUser, secret: string) {
      return enrolment(secret, user.email, deps.agencyName);
    },

    async confirmEnrolment(user: StaffUser, secret: string, code: string, requestId?: string): Promise<boolean> {
      const step = totpStep(secret, code, now());
      if (step === undefined) return false;
      await deps.db.transaction().execute(async (trx) => {
        await setTotpSecret(trx, user.id, sealSecret(deps.keys.totp, secret));
        await consumeTotpStep(trx, user.id, step);
        await audit(
          trx,
          'auth.mfa.enrol',
          { type: 'user', id: user.id },
          { object: { type: 'user', id: user.id }, requestId },
        );
      });
      return true;
    },

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
