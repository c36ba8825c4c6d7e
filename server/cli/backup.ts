import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnvironment, loadConfig } from '../config.js';
import { acquireEmbeddedLock } from '../db/embeddedLock.js';
import { createPglite } from '../db/pglite.create.js';
import { pgliteDir, runCommand } from './context.js';

// npm run backup: the embedded database's files as a .tar.gz (restore: PGlite's loadDataDir, or
// unpack into DATA_DIR/pglite); on PostgreSQL, pg_dump's custom format (restore: pg_restore).
await runCommand(async () => {
  const config = loadConfig();
  const dir = path.join(config.dataDir, 'backups');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (config.databaseUrl) {
    const file = path.join(dir, `oversight-${stamp}.dump`);
    await pgDump(config.databaseUrl, file);
    process.stdout.write(`Wrote ${file}\n`);
    return;
  }
  const release = acquireEmbeddedLock(config.dataDir, 'npm run backup');
  try {
    const pglite = await createPglite({ dataDir: pgliteDir(config) });
    const archive = await pglite.dumpDataDir('gzip');
    await pglite.close();
    const file = path.join(dir, `oversight-${stamp}.tar.gz`);
    await writeFile(file, Buffer.from(await archive.arrayBuffer()), { mode: 0o600 });
    process.stdout.write(`Wrote ${file}\n`);
  } finally {
    release();
  }
});

/** pg_dump to a file readable only by its owner; the password goes by environment, not argv (ps shows argv). */
async function pgDump(databaseUrl: string, file: string): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const child = spawn('pg_dump', ['--format=custom', '--dbname', url.toString()], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: childEnvironment(password ? { PGPASSWORD: password } : {}),
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new Error(`pg_dump could not be started (${err.message}); install PostgreSQL's client.`)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code}`))));
  });
  await Promise.all([pipeline(child.stdout, createWriteStream(file, { mode: 0o600 })), exited]);
}
