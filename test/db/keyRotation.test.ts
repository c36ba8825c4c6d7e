import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { deriveKeys } from '../../server/platform/security/keys.js';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { runTs, tempDataDir } from '../support/process.js';
import { createStaff, signIn } from '../support/staff.js';

const S1 = 'session-secret-one-session-secret-one-0001';
const S2 = 'session-secret-two-session-secret-two-0002';
const A1 = 'access-code-secret-one-access-code-0001';
const A2 = 'access-code-secret-two-access-code-0002';

const COMPLAINT = {
  language: 'en',
  narrative: 'The officer took my phone and would not give it back.',
  about: { filing: 'anonymous' },
  consent: true,
  truthful: true,
};

describe('keys per purpose, in rings: rotating one retires nothing (#15 item 15)', () => {
  const database = useDatabase();
  const appWith = (env: Record<string, string>) => testApp(database.handle, { config: testConfig(env) }).app;
  const lookup = (app: ReturnType<typeof appWith>, filed: { trackingNumber: string; accessCode: string }) =>
    request(app).post('/api/v1/status').send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode });

  it('keeps access codes, staff sessions and idempotent replays working across every rotation', async () => {
    // Before: one SESSION_SECRET keys everything, as every install did until now.
    const before = appWith({ SESSION_SECRET: S1 });
    const key = randomUUID();
    const legacy = (
      await request(before).post('/api/v1/complaints').set('Idempotency-Key', key).send(COMPLAINT).expect(201)
    ).body as { trackingNumber: string; accessCode: string };
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(before, staff);
    const cookie = agent.jar.getCookies({ domain: '127.0.0.1', path: '/staff', secure: false, script: false });
    expect(cookie.length).to.be.greaterThan(0);

    // Separating the access-code keys from the session secret: codes made before still open their case.
    const separated = appWith({ SESSION_SECRET: S1, ACCESS_CODE_SECRET: A1 });
    await lookup(separated, legacy).expect(200);
    const later = (await request(separated).post('/api/v1/complaints').send(COMPLAINT).expect(201))
      .body as typeof legacy;

    // Rotating the session secret: the staff member stays signed in; no access code is touched.
    const rotated = appWith({ SESSION_SECRET: `${S2},${S1}`, ACCESS_CODE_SECRET: A1 });
    const session = request(rotated)
      .get('/staff/account')
      .set('Cookie', cookie.map((c) => c.toValueString()).join('; '));
    await session.expect(200);
    await lookup(rotated, legacy).expect(200);
    await lookup(rotated, later).expect(200);

    // Rotating the access-code secret: every code still works, new ones use the new key, and a
    // repeated submission shows the code first given, not one derived from the new key.
    const codesRotated = appWith({ SESSION_SECRET: `${S2},${S1}`, ACCESS_CODE_SECRET: `${A2},${A1}` });
    await lookup(codesRotated, legacy).expect(200);
    await lookup(codesRotated, later).expect(200);
    const newest = (await request(codesRotated).post('/api/v1/complaints').send(COMPLAINT).expect(201))
      .body as typeof legacy;
    await lookup(codesRotated, newest).expect(200);
    const replay = await request(codesRotated)
      .post('/api/v1/complaints')
      .set('Idempotency-Key', key)
      .send(COMPLAINT)
      .expect(201);
    expect(replay.body).to.include({ trackingNumber: legacy.trackingNumber, accessCode: legacy.accessCode });

    // A wrong code is still wrong under every key.
    await lookup(codesRotated, { ...legacy, accessCode: newest.accessCode }).expect(404);
  });

  it('derives a different key for every purpose, and puts the older secrets after the new one', () => {
    const keys = deriveKeys({ session: [S2, S1], accessCode: [A2, A1] });
    const all = Object.entries(keys).filter(([name]) => name !== 'rings');
    expect(new Set(all.map(([, key]) => (key as Buffer).toString('hex'))).size).to.equal(all.length);
    // Access codes: own secrets first, then the session secrets that keyed them before.
    expect(keys.rings.accessCode).to.have.length(4);
    expect(keys.rings.accessCode[0]!.equals(keys.accessCode)).to.equal(true);
    expect(keys.rings.accessCode[3]!.equals(deriveKeys(S1).accessCode)).to.equal(true);
    expect(keys.rings.session.map((k) => k.toString('hex'))).to.deep.equal(
      [S2, S1].map((s) => deriveKeys(s).session.toString('hex')),
    );
  });

  it('npm run keys:rotate prints the new ring for a group, the new secret first', async () => {
    const env = { NODE_ENV: 'development', DATA_DIR: tempDataDir(), ACCESS_CODE_SECRET: A1, SESSION_SECRET: S1 };
    const rotate = runTs('server/cli/keysRotate.ts', ['access-code'], env);
    expect(await rotate.exited, rotate.output()).to.equal(0);
    const ring = /ACCESS_CODE_SECRET=(\S+)/.exec(rotate.output())?.[1]?.split(',');
    expect(ring).to.have.length(2);
    expect(ring![0]).to.have.length.of.at.least(32).and.not.equal(A1);
    expect(ring![1]).to.equal(A1);
    const wrong = runTs('server/cli/keysRotate.ts', ['everything'], env);
    expect(await wrong.exited).to.equal(1);
    expect(wrong.output()).to.contain('Usage');
  });
});
