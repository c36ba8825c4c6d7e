import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childEnvironment, loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { acquireEmbeddedLock } from '../platform/db/embeddedLock.js';
import { migrateToLatest, publicTableCount } from '../platform/db/migrator.js';
import { createPglite } from '../platform/db/pglite.create.js';
import { createLogger } from '../platform/logger.js';
import { checkpointStore, parseCheckpoint } from '../platform/audit/audit.checkpoints.js';
import { auditService } from '../platform/audit/audit.service.js';
import { copyEvidenceFiles, BACKUP_FILES, type BackupManifest } from './backup.layout.js';
import { pgliteDir, runCommand } from './context.js';

// npm run restore -- <backup folder> [--replace]
// Brings back what npm run backup wrote: the database (into an empty DATABASE_URL database, or an
// empty DATA_DIR/pglite), the evidence files into UPLOAD_DIR, and the backup's audit checkpoint
// into AUDIT_CHECKPOINT_DIR; then verifies the audit chain against that checkpoint. A database
// that already holds data is left alone unless --replace is given (PGlite's files are then moved
// aside, not deleted). Stop the app first.
await runCommand(async () => {
  const { values, positionals } = parseArgs({
    options: { replace: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const folder = positionals[0];
  if (!folder) throw new Error('Usage: npm run restore -- <backup folder> [--replace]');
  const manifest = JSON.parse(await readFile(path.join(folder, BACKUP_FILES.manifest), 'utf8')) as BackupManifest;
  const checkpoint = parseCheckpoint(await readFile(path.join(folder, BACKUP_FILES.checkpoint), 'utf8'));
  if (!checkpoint) throw new Error(`${folder} has no readable ${BACKUP_FILES.checkpoint}`);
  const config = loadConfig();
  const logger = createLogger('silent');
  if ((manifest.database === 'postgres') !== Boolean(config.databaseUrl)) {
    throw new Error(
      `This backup is of ${manifest.database === 'postgres' ? 'PostgreSQL' : 'the embedded database'}; ` +
        `set ${manifest.database === 'postgres' ? 'DATABASE_URL' : 'no DATABASE_URL'} to restore it.`,
    );
  }

  let release = () => {};
  if (config.databaseUrl) {
    const handle = await openDatabase({ databaseUrl: config.databaseUrl, logger });
    try {
      if ((await publicTableCount(handle.db)) > 0 && !values.replace) {
        throw new Error(
          'The database named by DATABASE_URL is not empty: restore into an empty one, or add --replace.',
        );
      }
    } finally {
      await handle.close();
    }
    await pgRestore(config.databaseUrl, path.join(folder, BACKUP_FILES.postgres), values.replace);
  } else {
    release = acquireEmbeddedLock(config.dataDir, 'npm run restore');
    const dir = pgliteDir(config);
    const inUse = existsSync(dir) && (await readdir(dir)).length > 0;
    if (inUse && !values.replace) {
      release();
      throw new Error(`${dir} already holds a database: add --replace (it is moved aside, not deleted).`);
    }
    if (inUse) await rename(dir, `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const archive = await readFile(path.join(folder, BACKUP_FILES.pglite));
    const pglite = await createPglite({ dataDir: dir, loadDataDir: new Blob([archive]) });
    await pglite.close();
  }

  try {
    const files = await copyEvidenceFiles(path.join(folder, BACKUP_FILES.files), path.join(config.uploadDir, 'files'));
    await checkpointStore(config.auditCheckpoints.dir).write(checkpoint);
    const handle = await openDatabase(
      config.databaseUrl ? { databaseUrl: config.databaseUrl, logger } : { pgliteDir: pgliteDir(config), logger },
    );
    try {
      await migrateToLatest(handle.db);
      const result = await auditService(handle.db).verify(checkpoint);
      if (!result.ok) throw new Error(`Restored, but the audit chain does not verify: ${result.reason}`);
      process.stdout.write(
        `Restored ${folder}: ${files} evidence files; audit chain OK (${result.count} events, ` +
          `checkpoint of ${checkpoint.at}). Events after that time are not in this backup.\n`,
      );
    } finally {
      await handle.close();
    }
  } finally {
    release();
  }
});

/** pg_restore of a custom-format dump; the password goes by environment, not argv. */
async function pgRestore(databaseUrl: string, file: string, replace: boolean): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const args = [
    '--no-owner',
    '--exit-on-error',
    ...(replace ? ['--clean', '--if-exists'] : []),
    '--dbname',
    url.toString(),
    file,
  ];
  const child = spawn('pg_restore', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: childEnvironment(password ? { PGPASSWORD: password } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new Error(`pg_restore could not be started (${err.message}); install PostgreSQL's client.`)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_restore exited with ${code}`))));
  });
}
