import type { DatabaseHandle } from '../db/database.js';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'unavailable' };
}

export type HealthService = ReturnType<typeof healthService>;

const PING_TIMEOUT_MS = 3_000;
/** Pages ask whether the database is up at most this often; concurrent requests share one ping. */
const AVAILABILITY_TTL_MS = 1_000;

export function healthService(database: Pick<DatabaseHandle, 'ping'>, now: () => number = Date.now) {
  const ping = () =>
    withTimeout(database.ping(), PING_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
  let checkedAt = -Infinity;
  let latest: Promise<boolean> = Promise.resolve(true);

  return {
    async readiness(): Promise<Readiness> {
      const ok = await ping();
      checkedAt = now();
      latest = Promise.resolve(ok);
      return { status: ok ? 'ok' : 'unavailable', checks: { database: ok ? 'ok' : 'unavailable' } };
    },

    /** Whether the database answered within the last second (pinging again when that is older). */
    available(): Promise<boolean> {
      if (now() - checkedAt >= AVAILABILITY_TTL_MS) {
        checkedAt = now();
        latest = ping();
      }
      return latest;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
