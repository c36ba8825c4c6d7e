import type { Role } from '../../platform/db/schema.js';

/** Who a token acts for, as this process last read it from the database. */
export interface RememberedToken {
  tokenId: string;
  userId: string;
  /** Every role the user held then, second-factor ones too: the statement that recalls it compares them. */
  roles: readonly Role[];
}

/**
 * What this process remembers of the tokens it authenticated, for at most `ttlMs` each, keyed by the
 * token's keyed hash (never the token itself). A remembered token is only a guess of who is asking:
 * whoever recalls one must check it in the statement that reads for it (tokenInForce), so a revoked
 * or expired token, a disabled user or a changed role counts on the very next request, on every
 * instance. Also when this process last marked each token used, so that requests arriving together
 * when the mark is due write it once.
 */
export function tokenMemory(options: { ttlMs: number; max: number }) {
  const tokens = new Map<string, RememberedToken & { until: number }>();
  const touched = new Map<string, number>();
  // A bound, not a cache policy: there are few tokens, and forgetting one costs one lookup.
  const room = (map: Map<string, unknown>) => {
    if (map.size >= options.max) map.clear();
  };

  return {
    recall(key: string, at: Date): RememberedToken | undefined {
      const entry = tokens.get(key);
      if (!entry) return undefined;
      if (entry.until > at.getTime()) return entry;
      tokens.delete(key);
      return undefined;
    },

    remember(key: string, token: RememberedToken, at: Date): void {
      room(tokens);
      tokens.set(key, { ...token, roles: [...token.roles].sort(), until: at.getTime() + options.ttlMs });
    },

    forget(key: string): void {
      tokens.delete(key);
    },

    /** Whether the token's last use is due to be written now (`lastUsed` is the stored mark); notes it if so. */
    touchDue(tokenId: string, lastUsed: Date | null, at: Date, everyMs: number): boolean {
      const last = Math.max(lastUsed?.getTime() ?? -Infinity, touched.get(tokenId) ?? -Infinity);
      if (at.getTime() - last < everyMs) return false;
      room(touched);
      touched.set(tokenId, at.getTime());
      return true;
    },
  };
}

export type TokenMemory = ReturnType<typeof tokenMemory>;
