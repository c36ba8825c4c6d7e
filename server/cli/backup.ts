import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnvironment, loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { acquireEmbeddedLock } from '../platform/db/embeddedLock.js';
import { migrateToLatest } from '../platform/db/migrator.js';
import { createPglite } from '../platform/db/pglite.create.js';
import { createLogger } from '../platform/logger.js';
import { checkpointStore } from '../platform/audit/audit.checkpoints.js';
import { auditService, type Checkpoint } from '../platform/audit/audit.service.js';
import { copyEvidenceFiles, BACKUP_FILES, type BackupManifest } from './backup.layout.js';
import { pgliteDir, runCommand } from './context.js';

// npm run backup: a folder DATA_DIR/backups/oversight-<time>/ holding the database (PGlite's files
// as database.tar.gz, or pg_dump's custom format as database.dump), a copy of the evidence files,
// and the audit checkpoint taken with it (also written to AUDIT_CHECKPOINT_DIR). Copy the folder
// off the machine. npm run restore -- <folder> brings it back.
await runCommand(async () => {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const folder = path.join(config.dataDir, 'backups', `oversight-${stamp}`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const logger = createLogger('silent');
  let checkpoint: Checkpoint;
  let database: BackupManifest['database'];

  if (config.databaseUrl) {
    // The checkpoint first: the dump, taken after, holds every event it names.
    const handle = await openDatabase({ databaseUrl: config.databaseUrl, logger });
    try {
      await migrateToLatest(handle.db);
      checkpoint = await auditService(handle.db).checkpoint();
    } finally {
      await handle.close();
    }
    await pgDump(config.databaseUrl, path.join(folder, BACKUP_FILES.postgres));
    database = 'postgres';
  } else {
    const release = acquireEmbeddedLock(config.dataDir, 'npm run backup');
    try {
      const pglite = await createPglite({ dataDir: pgliteDir(config) });
      const handle = await openDatabase({ pglite, logger });
      try {
        await migrateToLatest(handle.db);
        checkpoint = await auditService(handle.db).checkpoint();
        const archive = await pglite.dumpDataDir('gzip');
        await writeFile(path.join(folder, BACKUP_FILES.pglite), Buffer.from(await archive.arrayBuffer()), {
          mode: 0o600,
        });
      } finally {
        await handle.close();
      }
    } finally {
      release();
    }
    database = 'pglite';
  }

  const files = await copyEvidenceFiles(path.join(config.uploadDir, 'files'), path.join(folder, BACKUP_FILES.files));
  await writeFile(path.join(folder, BACKUP_FILES.checkpoint), `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  await checkpointStore(config.auditCheckpoints.dir).write(checkpoint);
  const manifest: BackupManifest = { createdAt: new Date().toISOString(), database, files, checkpoint };
  await writeFile(path.join(folder, BACKUP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(
    `Wrote ${folder}\n  database: ${database}, ${files} evidence files, ${checkpoint.count} audit events\n`,
  );
  // Evidence in a bucket is not in this folder: say so, rather than let "0 evidence files" pass.
  const store = config.evidenceStore;
  if (store.kind === 's3') {
    process.stdout.write(
      `  evidence is in the bucket ${store.bucket} (${store.prefix}), not in this backup: ` +
        `back it up with the storage provider's versioning or replication\n`,
    );
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
