import type { DatabaseHandle } from '../db/database.js';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'unavailable' };
}

export type HealthService = ReturnType<typeof healthService>;

const PING_TIMEOUT_MS = 3_000;

export function healthService(database: Pick<DatabaseHandle, 'ping'>) {
  return {
    async readiness(): Promise<Readiness> {
      const ok = await withTimeout(database.ping(), PING_TIMEOUT_MS).then(
        () => true,
        () => false,
      );
      return { status: ok ? 'ok' : 'unavailable', checks: { database: ok ? 'ok' : 'unavailable' } };
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
