import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { databaseKind, emptyDatabase, type TestDatabase } from '../support/database.js';
import { buildApp, freePort, runStart, runTs, tempDataDir, waitFor, type Spawned } from '../support/process.js';

describe('the app as a process (npm start, npm run migrate)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  before(async () => {
    dataDir = tempDataDir();
    env = { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info', DEMO_PASSWORD: 'demo-password-for-tests' };
    if (databaseKind === 'postgres') {
      database = await emptyDatabase();
      env['DATABASE_URL'] = database.url!;
    }
  });
  after(async () => database?.close());

  it('builds and starts on an empty database with demo accounts, serves both languages and the assets, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    // As npm start runs it: built JavaScript, which finds the views, catalogues and assets of the
    // sources (server/platform/paths.ts).
    const built = buildApp();
    const app = runStart(built, { ...env, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
      expect(await (await fetch(`${base}/`)).text()).to.contain('<html lang="en">');
      const spanish = await fetch(`${base}/`, { headers: { 'Accept-Language': 'es' } });
      expect(await spanish.text()).to.contain('<html lang="es">');
      for (const asset of ['/assets/app.css', '/assets/uswds/css/uswds.min.css']) {
        expect((await fetch(`${base}${asset}`)).status, asset).to.equal(200);
      }
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
      rmSync(built, { recursive: true, force: true });
    }
    expect(await app.exited).to.equal(0);
    const output = app.output();
    expect(output).to.contain('admin@example.org');
    expect(output).to.contain('Password for all of them: demo-password-for-tests');
    // After the accounts: where staff sign in, the admin's second factor, and the captured mail (#17 item 13).
    const after = output.slice(output.indexOf('Password for all of them'));
    expect(after).to.contain(`Staff sign in at http://localhost:${port}/staff\n`);
    expect(after).to.match(/admin@example\.org must set up two-step sign-in/);
    expect(after).to.contain(`http://localhost:${port}/staff/account/two-factor`);
    expect(after).to.contain(`read it at http://localhost:${port}/dev/mail`);
    const jsonLines = output.split('\n').filter((line) => line.startsWith('{'));
    expect(jsonLines.length).to.be.greaterThan(2);
    for (const line of jsonLines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(line).not.to.contain('demo-password-for-tests');
      if (record['msg'] === 'request completed') expect(record['req']).to.have.property('id');
    }
    expect(output).to.match(/"msg":"shutting down"/);
  });

  it('migrates down one step and up again from the command line', async () => {
    const down = await finish(runTs('server/cli/migrate.ts', ['--down'], env));
    expect(down.code).to.equal(0);
    const undone = /undid (\S+)/.exec(down.output)?.[1];
    expect(undone).to.match(/^\d{8}_\d{4}_/);
    const up = await finish(runTs('server/cli/migrate.ts', [], env));
    expect(up.code).to.equal(0);
    expect(up.output).to.contain(`applied ${undone}`);
    const again = await finish(runTs('server/cli/migrate.ts', [], env));
    expect(again.output).to.contain('Nothing to do');
  });

  it('verifies the audit chain and prints a checkpoint (npm run audit:verify, audit:checkpoint)', async () => {
    const verify = await finish(runTs('server/cli/auditVerify.ts', [], env));
    expect(verify.code, verify.output).to.equal(0);
    expect(verify.output).to.match(/^audit chain OK \(\d+ events\)$/m);
    const checkpoint = await finish(runTs('server/cli/auditCheckpoint.ts', [], env));
    expect(checkpoint.code).to.equal(0);
    const head = JSON.parse(checkpoint.output.trim().split('\n').pop()!) as { hash: string; count: number };
    expect(head.hash).to.match(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, 'head.json');
    writeFileSync(file, JSON.stringify(head));
    const against = await finish(runTs('server/cli/auditVerify.ts', ['--checkpoint', file], env));
    expect(against.code, against.output).to.equal(0);
    // By default, against the newest checkpoint written outside the database.
    const newest = await finish(runTs('server/cli/auditVerify.ts', [], env));
    expect(newest.code, newest.output).to.equal(0);
    expect(newest.output).to.match(/Comparing with the checkpoint \S+audit-checkpoints\/audit-checkpoint-/);
  });

  it('writes a backup folder: the database, the evidence files and an audit checkpoint (npm run backup)', async () => {
    const backup = await finish(runTs('server/cli/backup.ts', [], env));
    expect(backup.code, backup.output).to.equal(0);
    const folder = /Wrote (\S+)/.exec(backup.output)?.[1];
    expect(folder).to.be.a('string');
    expect(statSync(folder!).mode & 0o777).to.equal(0o700);
    const manifest = JSON.parse(readFileSync(path.join(folder!, 'manifest.json'), 'utf8')) as {
      checkpoint: { count: number };
    };
    expect(manifest.checkpoint.count).to.be.greaterThan(0);
    if (databaseKind === 'pglite') {
      const file = path.join(folder!, 'database.tar.gz');
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const restored = await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
      try {
        const { rows } = await restored.query<{ n: number }>('select count(*)::int as n from users');
        expect(rows[0]!.n).to.equal(10);
      } finally {
        await restored.close();
      }
    } else {
      const file = path.join(folder!, 'database.dump');
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(readFileSync(file).subarray(0, 5).toString()).to.equal('PGDMP');
    }
  });

  it('stops at start-up with a clear message on a bad setting', async () => {
    const bad = await finish(runTs('server/main.ts', [], { ...env, PORT: 'eighty', AGENCY_TIMEZONE: 'Nowhere/Land' }));
    expect(bad.code).to.equal(1);
    expect(bad.output).to.contain('Invalid configuration');
    expect(bad.output).to.contain('PORT');
    expect(bad.output).to.contain('AGENCY_TIMEZONE');
  });

  it('refuses a second process on the same embedded database', async function () {
    if (databaseKind !== 'pglite') this.skip();
    const port = await freePort();
    const first = runTs('server/main.ts', [], { ...env, PORT: String(port) });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 60_000);
      const second = await finish(runTs('server/cli/migrate.ts', [], env));
      expect(second.code).to.equal(1);
      expect(second.output).to.match(/in use by the app \(npm start\)/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

async function finish(spawned: Spawned): Promise<{ code: number | null; output: string }> {
  const code = await spawned.exited;
  return { code, output: spawned.output() };
}
