import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config.js';
import { acquireEmbeddedLock } from '../db/embeddedLock.js';
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
    const pglite = await PGlite.create({ dataDir: pgliteDir(config) });
    const archive = await pglite.dumpDataDir('gzip');
    await pglite.close();
    const file = path.join(dir, `oversight-${stamp}.tar.gz`);
    await writeFile(file, Buffer.from(await archive.arrayBuffer()));
    process.stdout.write(`Wrote ${file}\n`);
  } finally {
    release();
  }
});

function pgDump(url: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--dbname', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(createWriteStream(file));
    child.on('error', (err) =>
      reject(new Error(`pg_dump could not be started (${err.message}); install PostgreSQL's client.`)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code}`))));
  });
}
