import type { Clock } from '../../platform/clock.js';
import { InvalidField } from '../../domain/errors.js';
import { needsSecondFactor } from '../../domain/policy.js';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import {
  activeUser,
  apiTokenByHash,
  apiTokenById,
  apiTokensOfUser,
  collectApiToken,
  insertApiToken,
  listApiTokens,
  lockApiTokenOfUser,
  revokeApiToken,
  tokenHolders,
  tokenInForce,
  touchApiToken,
} from './apiToken.repository.js';
import { tokenMemory, type RememberedToken } from './apiToken.memory.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthService } from './auth.service.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';

/** Tokens start with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const TOKEN_PREFIX = 'oct_';
/** 32 random bytes, base64url: 43 characters after the prefix. */
const TOKEN_SHAPE = /^oct_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most once a minute per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;
/**
 * How long this process recalls a token it authenticated without looking it up first (recall): the
 * read that recalls it checks it in its own statement, so this only bounds how stale a guess of the
 * user's roles may be before it is read again, and when the last use is written.
 */
const RECALL_MS = TOUCH_EVERY_MS;
const MAX_REMEMBERED = 10_000;
/** A collected token works for this long; then the holder needs a new one. */
export const TOKEN_LIFETIME_DAYS = 90;
const TOKEN_LIFETIME_MS = TOKEN_LIFETIME_DAYS * 24 * 60 * 60 * 1000;

/**
 * Where a token stands: authorised by an admin and waiting for its holder to collect it, active
 * (collected, until expiresAt), revoked, or expired.
 */
export type TokenState = 'waiting' | 'active' | 'revoked' | 'expired';

export function tokenState(
  row: { revoked_at: Date | null; collected_at: Date | null; expires_at: Date | null },
  at: Date,
): TokenState {
  if (row.revoked_at) return 'revoked';
  if (!row.collected_at || !row.expires_at) return 'waiting';
  return row.expires_at > at ? 'active' : 'expired';
}

/** What collecting answers: the secret once, or why there is none. */
export type CollectOutcome =
  | { outcome: 'collected'; token: string; name: string; expiresAt: Date }
  | { outcome: 'already' | 'revoked' | 'missing' };

/** Who a token acts for: its user with the user's current roles, never admin. */
export interface TokenViewer extends Viewer {
  tokenId: string;
}

/** A condition a statement reading for a recalled token must meet (tokenInForce). */
export type TokenCheck = ReturnType<typeof tokenInForce>;

export type ApiTokenService = ReturnType<typeof apiTokenService>;

export function apiTokenService(deps: { db: Db; audit: AuditService; auth: AuthService; keys: Keys; clock: Clock }) {
  const { db, audit } = deps;
  const now = deps.clock;
  const hashOf = (token: string) => hmacHex(deps.keys.apiToken, token);
  const memory = tokenMemory({ ttlMs: RECALL_MS, max: MAX_REMEMBERED });

  return {
    async list() {
      const at = now();
      const rows = await listApiTokens(db);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        userId: r.user_id,
        userName: r.user_name,
        userEmail: r.user_email,
        userDisabled: r.user_disabled_at !== null,
        issuerName: r.issuer_name,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
        expiresAt: r.expires_at,
        state: tokenState(r, at),
      }));
    },

    /** The tokens of one user, for their own account page. */
    async mine(userId: string) {
      const at = now();
      const rows = await apiTokensOfUser(db, userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        issuerName: r.issuer_name,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
        expiresAt: r.expires_at,
        state: tokenState(r, at),
      }));
    },

    /** The accounts a token can be issued for. */
    async holders() {
      const rows = await tokenHolders(db);
      return rows.map((r) => ({ id: r.id, name: r.display_name, email: r.email }));
    },

    /**
     * Authorises a token for a user. No secret is made here, so the admin never sees one: the
     * token waits until its holder collects it from their own account (collect).
     */
    async issue(adminId: string, input: { userId: string; name: string }, requestId?: string) {
      const holder = await activeUser(db, input.userId);
      if (!holder) throw new InvalidField('userId', 'apiTokens.form.userRequired');
      const id = await db.transaction().execute(async (trx) => {
        const tokenId = await insertApiToken(trx, { ...input, issuedBy: adminId });
        await audit.record(trx, {
          type: 'api_token.issue',
          actor: { type: 'user', id: adminId },
          object: { type: 'api_token', id: tokenId },
          requestId,
          // Audit details may not be named after a token at all (R2), so its id goes as credentialId.
          details: { credentialId: tokenId, userId: input.userId },
        });
        return tokenId;
      });
      return { id, holder: { name: holder.display_name, email: holder.email } };
    },

    /**
     * The holder collects a waiting token: its secret is made now and returned here once and
     * never again (only its keyed hash is stored), and it works for TOKEN_LIFETIME_DAYS from now.
     * Another user's token is 'missing', like one that does not exist.
     */
    async collect(userId: string, id: string, requestId?: string): Promise<CollectOutcome> {
      return db.transaction().execute(async (trx): Promise<CollectOutcome> => {
        const row = await lockApiTokenOfUser(trx, id, userId);
        if (!row) return { outcome: 'missing' };
        if (row.revoked_at) return { outcome: 'revoked' };
        if (row.collected_at) return { outcome: 'already' };
        const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
        const collectedAt = now();
        const expiresAt = new Date(collectedAt.getTime() + TOKEN_LIFETIME_MS);
        if (!(await collectApiToken(trx, id, { tokenHash: hashOf(token), collectedAt, expiresAt }))) {
          return { outcome: 'already' };
        }
        await audit.record(trx, {
          type: 'api_token.collect',
          actor: { type: 'user', id: userId },
          object: { type: 'api_token', id },
          requestId,
          details: { credentialId: id },
        });
        return { outcome: 'collected', token, name: row.name, expiresAt };
      });
    },

    /** 'missing' for no such token; 'already' when it was revoked before. */
    async revoke(adminId: string, id: string, requestId?: string): Promise<'revoked' | 'already' | 'missing'> {
      return db.transaction().execute(async (trx) => {
        const row = await apiTokenById(trx, id);
        if (!row) return 'missing';
        if (!(await revokeApiToken(trx, id, now()))) return 'already';
        await audit.record(trx, {
          type: 'api_token.revoke',
          actor: { type: 'user', id: adminId },
          object: { type: 'api_token', id },
          requestId,
          details: { credentialId: id, userId: row.user_id },
        });
        return 'revoked';
      });
    },

    /**
     * The viewer a presented token acts as, or undefined for a malformed, unknown, revoked or
     * expired token or a disabled user (all the same to the caller). A waiting token has no
     * secret, so nothing presented can match it. Roles are read now, so a removed role or a
     * disabled account takes effect on the next request (R12).
     */
    async authenticate(token: string): Promise<TokenViewer | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const row = await apiTokenByHash(db, hmacHexAll(deps.keys.rings.apiToken, token));
      const at = now();
      if (!row || row.revoked_at || row.disabled_at || !row.expires_at || row.expires_at <= at) {
        memory.forget(hashOf(token));
        return undefined;
      }
      if (memory.touchDue(row.id, row.last_used_at, at, TOUCH_EVERY_MS)) {
        await touchApiToken(db, row.id, at, new Date(at.getTime() - TOUCH_EVERY_MS));
      }
      const remembered = { tokenId: row.id, userId: row.user_id, roles: row.roles };
      memory.remember(hashOf(token), remembered, at);
      return viewerOf(remembered);
    },

    /**
     * The viewer of a token this process authenticated in the last minute, without a statement of
     * its own, with the condition (tokenInForce) that the statement reading for it must carry: the
     * token is only trusted if that condition holds. Undefined when it is not remembered.
     */
    recall(token: string): { viewer: TokenViewer; check: TokenCheck } | undefined {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const at = now();
      const remembered = memory.recall(hashOf(token), at);
      return remembered && { viewer: viewerOf(remembered), check: tokenInForce(remembered, at) };
    },
  };
}

/** As a signed-in user's roles (staffUserOf): sorted, and never one that needs a second factor. */
function viewerOf(token: RememberedToken): TokenViewer {
  const roles = [...token.roles].sort().filter((role) => !needsSecondFactor(role));
  return { tokenId: token.tokenId, userId: token.userId, roles };
}
