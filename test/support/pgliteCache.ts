import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../server/platform/db/database.js';
import { migrateToLatest } from '../../server/platform/db/migrator.js';
import { createPglite } from '../../server/platform/db/pglite.create.js';
import { silentLogger } from './logger.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'oversight-tests');
const PREFIX = 'pglite-migrated-';

/**
 * The migrated empty database as a PGlite dump, kept on disk under a hash of what it is made from
 * (every migration, the code that runs them, and the PGlite build): a test process whose
 * migrations have not changed loads it instead of running initdb and the migrations again.
 */
export async function cachedMigratedPglite(): Promise<Blob> {
  const file = path.join(CACHE_DIR, `${PREFIX}${cacheKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const pglite = await createPglite();
  const handle = await openDatabase({ pglite, logger: silentLogger });
  try {
    await migrateToLatest(handle.db);
    const dump = await pglite.dumpDataDir('none');
    store(file, Buffer.from(await dump.arrayBuffer()));
    return dump;
  } finally {
    await handle.close();
  }
}

function cacheKey(): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file));
  const migrations = path.join(ROOT, 'migrations');
  for (const name of readdirSync(migrations).sort()) add(path.join(migrations, name));
  add(path.join(ROOT, 'server/platform/db/migrator.ts'));
  add(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'));
  return hash.digest('hex').slice(0, 16);
}

/** Written under a temporary name and renamed, so a parallel process never reads half a file. */
function store(file: string, bytes: Buffer): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const old of readdirSync(CACHE_DIR)) {
    if (old.startsWith(PREFIX) && old.endsWith('.tar')) rmSync(path.join(CACHE_DIR, old), { force: true });
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}
