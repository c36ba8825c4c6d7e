import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGliteInterface } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Database } from './schema.js';
import { preparingPool } from './prepared.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL server; absent means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; absent means in memory (tests). */
  pgliteDir?: string | undefined;
  /** An already open PGlite instance (tests clone a migrated one). */
  pglite?: PGliteInterface;
  logger: Logger;
  poolSize?: number;
  /** PostgreSQL: the longest a statement may run, in ms (0 or absent: no limit). */
  statementTimeoutMs?: number;
}

// Both drivers read bigint as a number and date as 'YYYY-MM-DD' (see PGLITE_PARSERS).
const INT8 = 20;
const DATE = 1082;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  // PGlite (about 40 MB of WebAssembly and its driver) is loaded only when it is the database, so a
  // server on PostgreSQL does not carry it.
  const { createPglite } = await import('./pglite.create.js');
  const { PGliteDialect } = await import('./pglite.dialect.js');
  const pglite =
    options.pglite ?? (await createPglite(options.pgliteDir ? { dataDir: ensureDir(options.pgliteDir) } : {}));
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    // Kysely's destroy() skips a driver it never initialised, so the instance is closed here too.
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    // Timestamps are exchanged in UTC on both drivers; the agency's zone is applied in code.
    // JIT compiles a plan in tens of ms: a loss for the short queries of a request (#18).
    options: `-c TimeZone=UTC -c statement_timeout=${options.statementTimeoutMs ?? 0} -c jit=off`,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return Number;
        if (oid === DATE) return (value: string) => value;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection can drop (server restart, network, pg_terminate_backend); without a handler the
  // 'error' event would crash the process (R25). The pool reports it for idle clients only: a
  // checked-out client (between the queries of a transaction) emits it on its own, so every client
  // gets the handler. Its next query fails (503) and the pool replaces it when it is released.
  const lost = (err: Error) => options.logger.warn({ err: { message: err.message } }, 'database connection lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function ensureDir(dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  return dir;
}
