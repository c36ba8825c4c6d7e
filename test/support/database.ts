import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Db } from '../../server/platform/db/database.js';
import { migrateToLatest } from '../../server/platform/db/migrator.js';
import { createPglite } from '../../server/platform/db/pglite.create.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { services } from '../../server/compose.js';
import { testConfig } from './app.js';
import { silentLogger } from './logger.js';
import { cachedMigratedPglite } from './pgliteCache.js';

/**
 * Each test file gets a fresh, migrated database. PGlite (default): the migrated database is a
 * dump kept on disk (see pgliteCache.ts) and loaded once per process; each database is a new
 * instance started from it. PostgreSQL (TEST_DATABASE_URL): one migrated template database per
 * process, copied per file. Files that need the whole demo agency ask for it: it is built once
 * per process into a template of its own (a PGlite dump, a PostgreSQL template database).
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || undefined;
export const databaseKind = TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** The demo agency's password in the template; a test sets its own with ensureDemoData(password). */
const TEMPLATE_DEMO_PASSWORD = 'demo-template-password';

let pgliteBase: Promise<Blob> | undefined;
let pgliteDemo: Promise<Blob> | undefined;
let postgresTemplate: Promise<string> | undefined;
let postgresDemo: Promise<string> | undefined;

export interface TestDatabase extends DatabaseHandle {
  /** A connection string for this database (PostgreSQL only), for child processes. */
  url?: string;
}

export interface DatabaseOptions {
  /** Start from the demo agency (staff, officers, complaints in every stage, board, surveys). */
  demo?: boolean;
}

export async function freshDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const dump = options.demo ? (pgliteDemo ??= pgliteDemoDump()) : migratedDump();
    return openDatabase({ pglite: await createPglite({ loadDataDir: await dump }), logger: silentLogger });
  }
  const url = TEST_DATABASE_URL;
  postgresTemplate ??= templateDatabase(url, 'template', 'template1', (handle) => migrateToLatest(handle.db));
  if (options.demo) postgresDemo ??= postgresTemplate.then((from) => templateDatabase(url, 'demo', from, buildDemo));
  return throwawayPostgres(url, await (options.demo ? postgresDemo! : postgresTemplate));
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
export function useDatabase(options: DatabaseOptions = {}): {
  readonly db: Db;
  readonly handle: TestDatabase;
} {
  let handle: TestDatabase | undefined;
  before(async () => {
    handle = await freshDatabase(options);
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
  const templates = [postgresDemo, postgresTemplate];
  pgliteBase = pgliteDemo = postgresTemplate = postgresDemo = undefined;
  if (!TEST_DATABASE_URL) return;
  for (const template of templates) {
    if (!template) continue;
    const name = await template;
    await withAdmin(TEST_DATABASE_URL, (admin) => sql`drop database if exists ${sql.id(name)}`.execute(admin));
  }
}

/** The demo agency, made by the app's own demo service as `npm start` makes it. */
async function buildDemo(handle: DatabaseHandle): Promise<void> {
  const svc = services({
    config: testConfig(),
    database: handle,
    translator: createTranslator(),
    logger: silentLogger,
  });
  await svc.demo.ensureDemoData(TEMPLATE_DEMO_PASSWORD);
}

const migratedDump = (): Promise<Blob> => (pgliteBase ??= cachedMigratedPglite());

async function pgliteDemoDump(): Promise<Blob> {
  const pglite = await createPglite({ loadDataDir: await migratedDump() });
  const handle = await openDatabase({ pglite, logger: silentLogger });
  try {
    await buildDemo(handle);
    return await pglite.dumpDataDir('none');
  } finally {
    await handle.close();
  }
}

/** A PostgreSQL database copied from `from` and then filled by `build`, to be copied in turn. */
async function templateDatabase(
  url: string,
  kind: string,
  from: string,
  build: (handle: DatabaseHandle) => Promise<unknown>,
): Promise<string> {
  const name = `oversight_${kind}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdmin(url, (admin) => sql`create database ${sql.id(name)} template ${sql.id(from)}`.execute(admin));
  const handle = await openDatabase({ databaseUrl: databaseUrl(url, name), logger: silentLogger });
  try {
    await build(handle);
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
