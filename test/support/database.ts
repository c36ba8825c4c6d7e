import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { clonePglite, createPglite } from '../../server/db/pglite.create.js';
import { silentLogger } from './logger.js';

/**
 * Each test file gets a fresh, migrated database. PGlite (default): one migrated instance per
 * process, cloned per file (a new instance costs seconds and hundreds of MB; a clone about one
 * second). PostgreSQL (TEST_DATABASE_URL): one migrated template database, copied per file.
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || undefined;
export const databaseKind = TEST_DATABASE_URL ? 'postgres' : 'pglite';

let pgliteBase: Promise<PGlite> | undefined;
let postgresTemplate: Promise<string> | undefined;

export interface TestDatabase extends DatabaseHandle {
  /** A connection string for this database (PostgreSQL only), for child processes. */
  url?: string;
}

export async function freshDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    pgliteBase ??= migratedPglite();
    const clone = await clonePglite(await pgliteBase);
    return openDatabase({ pglite: clone, logger: silentLogger });
  }
  postgresTemplate ??= migratedTemplate(TEST_DATABASE_URL);
  return throwawayPostgres(TEST_DATABASE_URL, await postgresTemplate);
}

/** An empty database with no migrations applied, for testing the migrations themselves. */
export async function emptyDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    return openDatabase({ pglite: await createPglite(), logger: silentLogger });
  }
  return throwawayPostgres(TEST_DATABASE_URL, 'template0');
}

/** A new database copied from `template`, dropped again by close(). */
async function throwawayPostgres(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = `oversight_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) =>
    sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin),
  );
  const url = databaseUrl(serverUrl, name);
  const handle = await openDatabase({ databaseUrl: url, logger: silentLogger, poolSize: 12 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await withAdmin(serverUrl, (admin) => sql`drop database if exists ${sql.id(name)}`.execute(admin));
    },
  };
}

/** Mocha helper: a fresh database for the enclosing describe block. */
export function useDatabase(): { readonly db: Db; readonly handle: TestDatabase } {
  let handle: TestDatabase | undefined;
  before(async () => {
    handle = await freshDatabase();
  });
  after(async () => {
    await handle?.close();
  });
  return {
    get db() {
      if (!handle) throw new Error('database not ready: use it inside a test or hook');
      return handle.db;
    },
    get handle() {
      if (!handle) throw new Error('database not ready: use it inside a test or hook');
      return handle;
    },
  };
}

export async function closeSharedDatabases(): Promise<void> {
  if (pgliteBase) await (await pgliteBase).close();
  if (postgresTemplate && TEST_DATABASE_URL) {
    const template = await postgresTemplate;
    await withAdmin(TEST_DATABASE_URL, (admin) => sql`drop database if exists ${sql.id(template)}`.execute(admin));
  }
}

async function migratedPglite(): Promise<PGlite> {
  const pglite = await createPglite();
  const handle = await openDatabase({ pglite, logger: silentLogger });
  await migrateToLatest(handle.db);
  // The Kysely instance is dropped without destroy(): destroying it would close the base instance.
  return pglite;
}

async function migratedTemplate(url: string): Promise<string> {
  const name = `oversight_template_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdmin(url, (admin) => sql`create database ${sql.id(name)}`.execute(admin));
  const handle = await openDatabase({ databaseUrl: databaseUrl(url, name), logger: silentLogger });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  return name;
}

async function withAdmin<T>(url: string, body: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
  try {
    return await body(admin);
  } finally {
    await admin.destroy();
  }
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
