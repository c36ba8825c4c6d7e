import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { startForm } from '../support/resident.js';

const COMPLAINT = {
  language: 'en',
  narrative: 'The officer pushed me against the wall for no reason.',
  about: { filing: 'anonymous' },
  consent: true,
  truthful: true,
};

/** A complaint giving an address (anyone's: nothing proves it is the filer's) for its receipt. */
const naming = (email: string) => ({
  ...COMPLAINT,
  about: { filing: 'self', name: 'Filer Person', email, preferredContact: 'email' },
});

describe('limits on anonymous filing and uploads (#15 item 6)', () => {
  const database = useDatabase();
  let client = 0;
  const address = () => `198.51.100.${++client}`;
  const appWith = (env: Record<string, string>) =>
    testApp(database.handle, { config: testConfig({ TRUST_PROXY: 'true', ...env }) });
  const count = async (table: 'complaints') => (await database.db.selectFrom(table).select('id').execute()).length;

  it('holds one client to so many filings an hour, counted atomically; replays and other clients are not held', async () => {
    const { app } = appWith({ FILINGS_PER_CLIENT_PER_HOUR: '3' });
    const from = address();
    const file = (key = randomUUID()) =>
      request(app).post('/api/v1/complaints').set('X-Forwarded-For', from).set('Idempotency-Key', key).send(COMPLAINT);
    const before = await count('complaints');
    const first = randomUUID();
    const answers = await Promise.all([file(first), ...Array.from({ length: 9 }, () => file())]);
    expect(answers.filter((res) => res.status === 201)).to.have.length(3);
    const refused = answers.filter((res) => res.status === 429);
    expect(refused).to.have.length(7);
    expect(refused[0]!.body.error.message).to.equal('Too many from your connection');
    expect(refused[0]!.headers['retry-after']).to.equal('3600');
    expect(await count('complaints')).to.equal(before + 3);
    // A repeat of a filing that went through answers as before; another client files.
    if (answers[0]!.status === 201) await file(first).expect(201).expect('Idempotent-Replayed', 'true');
    await request(app).post('/api/v1/complaints').set('X-Forwarded-For', address()).send(COMPLAINT).expect(201);
  });

  it('sends one address a few receipts a day, however many complaints name it; every complaint is filed', async () => {
    const { app, services } = appWith({ RECEIPTS_PER_ADDRESS_PER_DAY: '2' });
    const before = await count('complaints');
    for (let i = 0; i < 5; i++) {
      await request(app)
        .post('/api/v1/complaints')
        .set('X-Forwarded-For', address())
        .send(naming(i % 2 ? 'Target.Person@example.com' : 'target.person@example.com'))
        .expect(201);
    }
    expect(await count('complaints')).to.equal(before + 5);
    const receipts = await database.db
      .selectFrom('outbox')
      .select('recipient')
      .where('template', '=', 'complaintReceived')
      .where('recipient', 'ilike', 'target.person@example.com')
      .execute();
    expect(receipts).to.have.length(2);
    void services;
  });

  it('holds one client to so many complaint forms an hour, with a page in its language', async () => {
    const { app } = appWith({ DRAFTS_PER_CLIENT_PER_HOUR: '2' });
    const from = address();
    const start = () => request(app).post('/complaint/start').set('X-Forwarded-For', from).set('Accept-Language', 'es');
    await start().expect(303);
    await start().expect(303);
    const refused = await start().expect(429);
    expect(refused.text).to.contain('Se empezaron demasiados formularios de queja');
    await request(app).post('/complaint/start').set('X-Forwarded-For', address()).expect(303);
  });

  it('holds the files of one form to their size in all, and one client to its day’s share', async () => {
    const { app, config } = appWith({ UPLOAD_DRAFT_MB: '1', UPLOAD_CLIENT_MB_PER_DAY: '1' });
    const from = address();
    const text = (n: number) => Buffer.from(`${'statement line\n'.repeat(40_000)}${n}\n`); // ~600 kB
    const form = async () => {
      const agent = request.agent(app).set('X-Forwarded-For', from);
      const csrf = await startForm(agent);
      return (n: number) =>
        agent
          .post('/complaint/evidence')
          .field('_csrf', csrf)
          .field('action', 'add')
          .attach('evidence', text(n), `part-${n}.txt`);
    };
    const upload = await form();
    await upload(1).expect(303);
    const full = await upload(2).expect(400);
    expect(full.text).to.contain('The files of one complaint can be 1 MB in all');
    // A new form does not renew the client's share: 600 kB more passes its 1 MB a day.
    const another = await form();
    const quota = await another(3).expect(400);
    expect(quota.text).to.contain('Too many files were uploaded from your connection today');
    // Only the one accepted file is kept.
    expect(await readdir(path.join(config.uploadDir, 'files'))).to.have.length(1);
  });

  it('refuses uploads below the floor of free disk with a clear error, and tells the admins once an hour', async () => {
    const { app, services } = appWith({ UPLOAD_MIN_FREE_MB: '1000000' });
    await createStaff(database.db, ['admin'], { email: 'ops.admin@example.org' });
    const from = address();
    for (let i = 0; i < 2; i++) {
      const agent = request.agent(app).set('X-Forwarded-For', from);
      const csrf = await startForm(agent);
      const refused = await agent
        .post('/complaint/evidence')
        .field('_csrf', csrf)
        .field('action', 'add')
        .attach('evidence', Buffer.from('What I saw.\n'), 'saw.txt')
        .expect(400);
      expect(refused.text).to.contain('our storage is full');
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the alert is raised without holding the answer
    const alerts = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'data'])
      .where('template', '=', 'adminAlert')
      .execute();
    expect(alerts.map((a) => a.recipient)).to.include('ops.admin@example.org');
    expect(alerts.filter((a) => a.recipient === 'ops.admin@example.org')).to.have.length(1);
    expect(JSON.stringify(alerts[0]!.data)).to.contain('storageLow');
    void services;
  });

  it('answers a disk that fills while a file is stored with a clear error (507), never a crash', async () => {
    const { app } = testApp(database.handle, {
      override: (svc) => ({
        evidence: {
          ...svc.evidence,
          accept: async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
        },
      }),
    });
    const agent = request.agent(app);
    const csrf = await startForm(agent);
    const res = await agent
      .post('/complaint/evidence')
      .field('_csrf', csrf)
      .field('action', 'add')
      .attach('evidence', Buffer.from('What I saw.\n'), 'saw.txt')
      .expect(507);
    expect(res.text).to.contain('We cannot take files right now');
    await request(app).get('/healthz').expect(200);
  });
});
