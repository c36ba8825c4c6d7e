import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * The mark a hot query carries at its start (`sql\`${PREPARED} select …\``, or a builder's
 * `.modifyFront(sql.raw(PREPARED))`): on PostgreSQL it is sent as a named prepared statement, so
 * each connection plans it once instead of on every call (#18 item 2). Kysely sends every query
 * unnamed; this is the small wrapper of the pool that names the marked ones.
 */
export const PREPARED = '/* prepared */';

/** The statement's name: from its text, so two texts never share one (a query with other filters). */
const names = new Map<string, string>();
const MAX_NAMES = 1_000;

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}

const isMarked = (text: unknown): text is string => typeof text === 'string' && text.slice(0, 64).includes(PREPARED);

/** The pool as Kysely uses it, with the marked queries of its clients sent as prepared statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (text: unknown, values?: unknown[]) =>
        isMarked(text)
          ? client.query({ name: nameOf(text), text, values: values ?? [] })
          : // Anything else (a plain query, a cursor for a stream) goes through as it came.
            client.query(text as string, values);
      return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release() };
    },
    end: () => pool.end(),
  };
}
