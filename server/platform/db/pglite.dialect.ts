import { types, type PGliteInterface } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect for PGlite. PGlite has one session, so a transaction must own it from BEGIN to
 * COMMIT: connections are handed out one at a time, in FIFO order, and everyone else waits. (The
 * kysely-pglite package shares the session between concurrent transactions, so one transaction's
 * ROLLBACK could undo another's writes; the queue makes that impossible.)
 */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGliteInterface,
    private readonly acquireTimeoutMs = ACQUIRE_TIMEOUT_MS,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.acquireTimeoutMs);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

const ROW_CHANGING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * Read bigint as a number (ids and counts stay far below 2^53) and date as 'YYYY-MM-DD' (a
 * calendar day has no time zone; a JS Date would invent one), as the pg Pool in database.ts does.
 * Given per query, because PGlite's clone() does not carry an instance's parsers over.
 */
export const PGLITE_PARSERS = {
  [types.INT8]: (value: string) => Number(value),
  [types.DATE]: (value: string) => value,
};

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteInterface) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters], { parsers: PGLITE_PARSERS });
    // Zero is a real answer (an UPDATE ... WHERE version = $1 that lost a race), so it is kept.
    const changes = result.command !== undefined && ROW_CHANGING.has(result.command);
    return { rows: result.rows, ...(changes ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}) };
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    // PGlite has no cursors over its single session; the result is already in memory.
    const { rows } = await this.executeQuery<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/**
 * How long a query may wait for the session. A wait this long means a bug, typically a query made
 * on `db` inside a transaction (it waits for the transaction that waits for it): it fails with a
 * message instead of hanging every request forever.
 */
export const ACQUIRE_TIMEOUT_MS = 15_000;

interface Waiter {
  grant(): void;
  fail(error: Error): void;
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private busy = false;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly pglite: PGliteInterface,
    private readonly acquireTimeoutMs: number,
  ) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
    // Timestamps are exchanged in UTC on both drivers; the agency's zone is applied in code.
    await this.pglite.query(`set time zone 'UTC'`);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.busy) {
      this.busy = true;
      return this.connection;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(
          new Error(`PGlite session not free after ${this.acquireTimeoutMs} ms (a query outside its transaction?)`),
        );
      }, this.acquireTimeoutMs);
      this.waiting.push(waiter);
    });
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.busy = false;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const modes = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ].filter(Boolean);
    await conn.executeQuery(CompiledQuery.raw(`start transaction ${modes.join(', ')}`.trim()));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async destroy(): Promise<void> {
    for (const waiter of this.waiting.splice(0)) waiter.fail(new Error('PGlite is closed'));
    if (!this.pglite.closed) await this.pglite.close();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
