import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/platform/config.js';
import { openDatabase } from '../../server/platform/db/database.js';
import { migrateToLatest } from '../../server/platform/db/migrator.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { services as buildServices } from '../../server/compose.js';
import { databaseKind, emptyDatabase, type TestDatabase } from '../support/database.js';
import { cameraJpeg } from '../support/evidenceFixtures.js';
import { silentLogger } from '../support/logger.js';
import { runTs, tempDataDir, type Spawned } from '../support/process.js';

const finish = async (spawned: Spawned) => ({ code: await spawned.exited, output: spawned.output() });

describe('backup, wipe, restore: the database, the evidence files and the audit checkpoint (#15 item 16)', function () {
  this.timeout(180_000);
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.close();
  });

  it('brings back a known case with its file, verified against the backup’s checkpoint', async () => {
    const dataDir = tempDataDir();
    const uploadDir = mkdtempSync(path.join(tmpdir(), 'oversight-uploads-'));
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      UPLOAD_DIR: uploadDir,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'backup-test-secret-backup-test-secret-01',
    };
    if (databaseKind === 'postgres') {
      const database = await emptyDatabase();
      databases.push(database);
      env['DATABASE_URL'] = database.url!;
    }

    // A complaint with a photo, filed through the services as the app would.
    const config = loadConfig(env);
    const handle = await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl, logger: silentLogger }
        : { pgliteDir: path.join(dataDir, 'pglite'), logger: silentLogger },
    );
    let trackingNumber: string;
    const photo = cameraJpeg();
    try {
      await migrateToLatest(handle.db);
      const svc = buildServices({ config, database: handle, translator: createTranslator(), logger: silentLogger });
      mkdirSync(path.join(uploadDir, 'incoming'), { recursive: true });
      const temp = path.join(uploadDir, 'incoming', 'upload');
      writeFileSync(temp, photo);
      const accepted = await svc.evidence.accept({ path: temp, originalname: 'photo.jpg', size: photo.length });
      if (!accepted.ok) throw new Error('photo refused');
      const receipt = await svc.intake.submit(
        {
          language: 'en',
          narrative: 'Pushed at the station.',
          categories: [],
          officers: [],
          witnesses: [],
          about: { filing: 'anonymous' },
          consent: true,
          truthful: true,
        } as unknown as Parameters<typeof svc.intake.submit>[0],
        { channel: 'web', secret: 'backup-test-submission', evidence: [accepted.file] },
      );
      trackingNumber = receipt.trackingNumber;
    } finally {
      await handle.close();
    }

    const backup = await finish(runTs('server/cli/backup.ts', [], env));
    expect(backup.code, backup.output).to.equal(0);
    const folder = /Wrote (\S+)/.exec(backup.output)![1]!;

    // Wipe: the database, the evidence files, the checkpoints kept beside them.
    if (databaseKind === 'postgres') {
      const empty = await emptyDatabase();
      databases.push(empty);
      env['DATABASE_URL'] = empty.url!;
    } else {
      rmSync(path.join(dataDir, 'pglite'), { recursive: true, force: true });
    }
    rmSync(path.join(uploadDir, 'files'), { recursive: true, force: true });
    rmSync(path.join(dataDir, 'audit-checkpoints'), { recursive: true, force: true });

    const restore = await finish(runTs('server/cli/restore.ts', [folder], env));
    expect(restore.code, restore.output).to.equal(0);
    expect(restore.output).to.match(/audit chain OK \(\d+ events/);
    const again = await finish(runTs('server/cli/restore.ts', [folder], env));
    expect(again.code).to.equal(1);
    expect(again.output).to.match(/not empty|already holds a database/);

    const verify = await finish(runTs('server/cli/auditVerify.ts', [], env));
    expect(verify.code, verify.output).to.equal(0);
    expect(verify.output).to.contain('Comparing with the checkpoint');

    const restored = await openDatabase(
      env['DATABASE_URL']
        ? { databaseUrl: env['DATABASE_URL'], logger: silentLogger }
        : { pgliteDir: path.join(dataDir, 'pglite'), logger: silentLogger },
    );
    try {
      const row = await restored.db
        .selectFrom('complaints as c')
        .innerJoin('attachments as a', 'a.complaint_id', 'c.id')
        .select(['a.stored_name', 'a.sha256'])
        .where('c.tracking_number', '=', trackingNumber)
        .executeTakeFirstOrThrow();
      const bytes = readFileSync(path.join(uploadDir, 'files', row.stored_name));
      expect(createHash('sha256').update(bytes).digest('hex')).to.equal(row.sha256);
      expect(bytes.equals(photo)).to.equal(true);
    } finally {
      await restored.close();
    }
  });
});
