import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { evidenceJanitor } from '../../server/platform/evidence/evidence.janitor.js';
import { localEvidenceStorage } from '../../server/platform/evidence/evidence.storage.js';
import { databaseKind, emptyDatabase, useDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runTs, tempDataDir, waitFor, type Spawned } from '../support/process.js';
import { csrfOf } from '../support/resident.js';

/** Files in a folder, and whether any of them has bytes in it. */
const filesIn = (folder: string) => {
  try {
    return readdirSync(folder).map((name) => ({ name, size: statSync(path.join(folder, name)).size }));
  } catch {
    return [];
  }
};

describe('a kill during uploads leaves nothing behind (#15 items 9, 13)', function () {
  this.timeout(180_000);
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let uploadDir: string;

  before(async () => {
    uploadDir = mkdtempSync(path.join(tmpdir(), 'oversight-uploads-'));
    env = {
      NODE_ENV: 'development',
      DATA_DIR: tempDataDir(),
      UPLOAD_DIR: uploadDir,
      // No grace: the test knows no other upload is in flight.
      UPLOAD_ORPHAN_GRACE_MINUTES: '0',
      LOG_LEVEL: 'warn',
      DEMO_PASSWORD: 'demo-password-for-tests',
    };
    if (databaseKind === 'postgres') {
      database = await emptyDatabase();
      env['DATABASE_URL'] = database.url!;
    }
  });
  after(async () => database?.close());

  const start = async (): Promise<{ app: Spawned; base: string }> => {
    const port = await freePort();
    const app = runTs('server/main.ts', [], { ...env, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 90_000);
    return { app, base };
  };

  it('removes the half-received upload and the stored file no row points to at the next start; the kept file and the audit chain stay', async () => {
    const first = await start();
    // A file kept by a form in progress: it must survive.
    const started = await request(first.base).post('/complaint/start').expect(303);
    const cookie = String(started.headers['set-cookie']).split(';')[0]!;
    const form = await request(first.base).get('/complaint/evidence').set('Cookie', cookie).expect(200);
    const csrf = csrfOf(form.text);
    await request(first.base)
      .post('/complaint/evidence')
      .set('Cookie', cookie)
      .field('_csrf', csrf)
      .field('action', 'add')
      .attach('evidence', Buffer.from('What I saw.\n'), 'saw.txt')
      .expect(303);
    const kept = filesIn(path.join(uploadDir, 'files')).map((f) => f.name);
    expect(kept).to.have.length(1);

    // An upload that is half sent when the process dies.
    const boundary = `----oversight${randomUUID()}`;
    const slow = http.request(`${first.base}/complaint/evidence`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(20 * 1024 * 1024),
        Cookie: cookie,
      },
    });
    slow.on('error', () => undefined); // the server dies under it
    slow.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="video.mp4"\r\n` +
        'Content-Type: video/mp4\r\n\r\n',
    );
    slow.write(Buffer.alloc(2 * 1024 * 1024, 7));
    await waitFor(async () => filesIn(path.join(uploadDir, 'incoming')).some((f) => f.size > 0), 20_000);
    // And a stored copy whose row was never written (the crash came between the two).
    const stray = randomUUID();
    writeFileSync(path.join(uploadDir, 'files', stray), 'a copy nobody recorded');

    first.app.child.kill('SIGKILL');
    await first.app.exited;
    slow.destroy();
    expect(filesIn(path.join(uploadDir, 'incoming')).length).to.be.greaterThan(0);

    const second = await start();
    try {
      await waitFor(
        async () =>
          filesIn(path.join(uploadDir, 'incoming')).length === 0 &&
          !filesIn(path.join(uploadDir, 'files')).some((f) => f.name === stray),
        30_000,
      );
      expect(filesIn(path.join(uploadDir, 'files')).map((f) => f.name)).to.deep.equal(kept);
      // The form still has its file after the restart.
      const page = await request(second.base).get('/complaint/evidence').set('Cookie', cookie).expect(200);
      expect(page.text).to.contain('saw.txt');
    } finally {
      second.app.child.kill('SIGTERM');
      await second.app.exited;
    }

    const verify = runTs('server/cli/auditVerify.ts', [], env);
    expect(await verify.exited, verify.output()).to.equal(0);
    expect(verify.output()).to.match(/audit chain OK/);
  });
});

describe('the sweep for files no record points to (#15 item 9)', () => {
  const database = useDatabase({ demo: true });

  it('removes only old files that no attachment or form points to, never a young one that may be in flight', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oversight-janitor-'));
    const storage = localEvidenceStorage(path.join(dir, 'files'));
    const incoming = path.join(dir, 'incoming');
    mkdirSync(incoming);
    const janitor = evidenceJanitor({
      db: database.db,
      storage,
      incomingDir: incoming,
      graceMs: 60 * 60_000,
      clock: () => new Date(),
    });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    const old = async (name: string) => utimes(path.join(dir, 'files', name), twoHoursAgo, twoHoursAgo);

    const orphan = await storage.putBuffer(Buffer.from('left by a crash'));
    const young = await storage.putBuffer(Buffer.from('an upload still in flight'));
    const referenced = await storage.putBuffer(Buffer.from('evidence'));
    const viewing = await storage.putBuffer(Buffer.from('its viewing copy'));
    await Promise.all([orphan, referenced, viewing].map(old));
    const complaint = await database.db.selectFrom('complaints').select('id').executeTakeFirstOrThrow();
    await database.db
      .insertInto('attachments')
      .values({
        complaint_id: complaint.id,
        source: 'staff',
        stored_name: referenced,
        viewing_name: viewing,
        original_name: 'photo.jpg',
        sniffed_type: 'image/jpeg',
        size_bytes: 8,
        sha256: '0'.repeat(64),
      })
      .execute();
    writeFileSync(path.join(incoming, 'old-temp'), 'half an upload');
    await utimes(path.join(incoming, 'old-temp'), twoHoursAgo, twoHoursAgo);
    writeFileSync(path.join(incoming, 'new-temp'), 'an upload arriving now');

    const removed = await janitor.sweep();
    const left = readdirSync(path.join(dir, 'files')).sort();
    expect(left).to.deep.equal([young, referenced, viewing].sort());
    expect(readdirSync(incoming)).to.deep.equal(['new-temp']);
    expect(removed).to.deep.equal({ files: 1, temporaries: 1 });
  });
});
