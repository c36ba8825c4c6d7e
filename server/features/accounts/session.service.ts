import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import {
  deleteSession,
  purgeEndedSessions,
  rehashSession,
  saveSession,
  sessionById,
  touchSession,
} from './session.repository.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';

/** R12: a staff session ends after 30 idle minutes and, whatever happens, 12 hours after sign-in. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Sessions are stored under a keyed hash of their id: a copy of the table signs nobody in. */
export function sessionIdHash(keys: Keys, sessionId: string): string {
  return hmacHex(keys.session, sessionId);
}

export type SessionService = ReturnType<typeof sessionService>;

/** The server side of staff sessions (R11, R12), for the express-session store. */
export function sessionService(deps: { db: Db; keys: Keys; clock: Clock }) {
  const now = deps.clock;
  const hash = (id: string) => sessionIdHash(deps.keys, id);
  return {
    /** The session's data, or undefined when it is unknown, idle too long or past its lifetime. */
    async get(id: string): Promise<Record<string, unknown> | undefined> {
      const row = await sessionById(deps.db, hmacHexAll(deps.keys.rings.session, id));
      if (!row) return undefined;
      // Stored under a key rotated out since: moved to the current one, so the session lives on.
      if (row.id_hash !== hash(id)) await rehashSession(deps.db, row.id_hash, hash(id));
      const at = now().getTime();
      if (row.expires_at.getTime() <= at || row.last_seen_at.getTime() + SESSION_IDLE_MS <= at) {
        await deleteSession(deps.db, hash(id));
        return undefined;
      }
      return row.data;
    },
    async set(id: string, data: Record<string, unknown>, userId: string | null): Promise<void> {
      const at = now();
      await saveSession(deps.db, {
        idHash: hash(id),
        userId,
        data,
        now: at,
        expiresAt: new Date(at.getTime() + SESSION_LIFETIME_MS),
      });
    },
    async touch(id: string): Promise<void> {
      await touchSession(deps.db, hash(id), now());
    },
    async destroy(id: string): Promise<void> {
      await deleteSession(deps.db, hash(id));
    },
    async purgeEnded(): Promise<number> {
      return purgeEndedSessions(deps.db, now(), SESSION_IDLE_MS);
    },
  };
}
