import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { readableMail } from '../support/resident.js';
import { SmtpPeer } from '../support/smtpPeer.js';

const COMPLAINT = {
  language: 'en',
  narrative: 'Stopped without reason and searched.',
  incidentDate: '2026-09-12',
  categories: ['search_seizure'],
  officers: [{ name: 'Officer Doe', badgeNumber: '1203' }],
  witnesses: [],
  about: { filing: 'self', name: 'Sam Api', email: 'sam@example.com', preferredContact: 'email' },
  consent: true,
  truthful: true,
};

describe('resident JSON API and its OpenAPI document', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];

  before(async () => {
    await peer.start();
    ({ app, services } = testApp(database.handle, { config: testConfig({ SMTP_URL: peer.url }) }));
  });
  after(() => peer.stop());
  beforeEach(async () => {
    await services.outbox.runOnce();
    peer.received = [];
  });

  it('files a complaint: 201 with a tracking number and access code that open its status', async () => {
    const filed = await request(app).post('/api/v1/complaints').send(COMPLAINT).expect(201);
    expect(filed.body.trackingNumber).to.match(/^OC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(filed.body.accessCode).to.match(/^([2-9A-HJKMNP-TV-Z]{4}-){3}[2-9A-HJKMNP-TV-Z]{4}$/);
    const row = await database.db
      .selectFrom('complaints')
      .select(['channel', 'language'])
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ channel: 'api', language: 'en' });
    const status = await request(app)
      .post('/api/v1/status')
      .send({ trackingNumber: filed.body.trackingNumber, accessCode: filed.body.accessCode })
      .expect(200);
    expect(status.body.stage).to.equal('received');
  });

  it('files in Spanish and the receipt email is in Spanish', async () => {
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({
        ...COMPLAINT,
        language: 'es',
        about: { ...COMPLAINT.about, email: 'sofia@example.com', preferredLanguage: 'es' },
      })
      .expect(201);
    await services.outbox.runOnce();
    const mail = readableMail(peer.received.find((m) => m.to.includes('sofia@example.com'))!.raw);
    expect(mail).to.include(`Recibimos su queja ${filed.body.trackingNumber}`);
  });

  it('an anonymous complaint through the API keeps no person', async () => {
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({ ...COMPLAINT, about: { filing: 'anonymous', name: 'dropped', email: 'dropped@example.com' } })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    expect(
      await database.db.selectFrom('complainants').selectAll().where('complaint_id', '=', id).execute(),
    ).to.deep.equal([]);
  });

  it('refuses bad input with a message per field, in the caller’s language, and files nothing', async () => {
    const before = await database.db.selectFrom('complaints').select('id').execute();
    const cases: Array<[object, string]> = [
      [{ ...COMPLAINT, narrative: '' }, 'narrative'],
      [{ ...COMPLAINT, narrative: 'x'.repeat(20_001) }, 'narrative'],
      [{ ...COMPLAINT, consent: false }, 'consent'],
      [{ ...COMPLAINT, admin: true }, 'admin'],
      [{ ...COMPLAINT, about: { ...COMPLAINT.about, email: 'nope' } }, 'about.email'],
      [{ ...COMPLAINT, officers: Array.from({ length: 11 }, () => ({ name: 'x' })) }, 'officers'],
      [{ ...COMPLAINT, district: 'atlantis' }, 'district'],
      [{ ...COMPLAINT, categories: ['made_up'] }, 'categories'],
      [{ ...COMPLAINT, incidentDate: '2099-01-01' }, 'incidentDate'],
    ];
    for (const [body, field] of cases) {
      const answer = await request(app).post('/api/v1/complaints').set('Accept-Language', 'es').send(body).expect(400);
      expect(
        answer.body.error.errors.map((e: { field: string }) => e.field),
        field,
      ).to.include(field);
    }
    const spanish = await request(app)
      .post('/api/v1/complaints')
      .set('Accept-Language', 'es')
      .send({ ...COMPLAINT, narrative: '' });
    expect(spanish.body.error.errors[0].message).to.match(/Cuéntenos/);
    await request(app)
      .post('/api/v1/complaints')
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    await request(app).post('/api/v1/complaints').send([1, 2]).expect(400);
    const after = await database.db.selectFrom('complaints').select('id').execute();
    expect(after.length).to.equal(before.length);
  });

  it('an Idempotency-Key files once: a repeat answers with the same codes and sends no second email (R23)', async () => {
    const key = randomUUID();
    const send = () =>
      request(app)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .send({ ...COMPLAINT, about: { ...COMPLAINT.about, email: 'once@example.com' } });
    const answers = await Promise.all([send(), send(), send()]);
    for (const answer of answers) expect(answer.status).to.equal(201);
    const numbers = new Set(answers.map((a) => `${a.body.trackingNumber} ${a.body.accessCode}`));
    expect(numbers.size).to.equal(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).to.have.length(2);
    await services.outbox.runOnce();
    expect(peer.received.filter((m) => m.to.includes('once@example.com'))).to.have.length(1);
    await request(app).post('/api/v1/complaints').set('Idempotency-Key', 'short').send(COMPLAINT).expect(400);
  });

  it('refuses an Idempotency-Key sent again with another body (422), and files nothing', async () => {
    const key = randomUUID();
    const first = await request(app).post('/api/v1/complaints').set('Idempotency-Key', key).send(COMPLAINT).expect(201);
    const before = await database.db.selectFrom('complaints').select('id').execute();
    const other = await request(app)
      .post('/api/v1/complaints')
      .set('Idempotency-Key', key)
      .set('Accept-Language', 'es')
      .send({ ...COMPLAINT, narrative: `${COMPLAINT.narrative} And something else.` })
      .expect(422);
    expect(other.body.error).to.include({ status: 422, code: 'unprocessable' });
    expect(other.body.error.message).to.contain('Idempotency-Key ya se usó');
    expect(JSON.stringify(other.body))
      .not.to.contain(first.body.accessCode)
      .and.not.to.contain(first.body.trackingNumber);
    expect(await database.db.selectFrom('complaints').select('id').execute()).to.have.length(before.length);
  });

  it('forgets an Idempotency-Key a day after filing: the sweeper clears it, and a late repeat files anew', async () => {
    const key = randomUUID();
    const first = await request(app).post('/api/v1/complaints').set('Idempotency-Key', key).send(COMPLAINT).expect(201);
    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000 - 60_000);
    await database.db
      .updateTable('complaints')
      .set({ received_at: dayAgo })
      .where('tracking_number', '=', first.body.trackingNumber)
      .execute();
    // Before the sweeper has run: the old key no longer answers with the old complaint.
    const late = await request(app).post('/api/v1/complaints').set('Idempotency-Key', key).send(COMPLAINT).expect(201);
    expect(late.headers['idempotent-replayed']).to.equal(undefined);
    expect(late.body.trackingNumber).not.to.equal(first.body.trackingNumber);
    // The sweeper forgets keys older than a day, and only those.
    await database.db
      .updateTable('complaints')
      .set({ received_at: dayAgo })
      .where('tracking_number', '=', late.body.trackingNumber)
      .execute();
    const fresh = await request(app).post('/api/v1/complaints').send(COMPLAINT).expect(201);
    await services.housekeeping.run();
    const tokens = await database.db
      .selectFrom('complaints')
      .select(['tracking_number', 'submission_token'])
      .where('tracking_number', 'in', [first.body.trackingNumber, late.body.trackingNumber, fresh.body.trackingNumber])
      .execute();
    const held = Object.fromEntries(tokens.map((t) => [t.tracking_number, t.submission_token !== null]));
    expect(held).to.deep.equal({
      [first.body.trackingNumber]: false,
      [late.body.trackingNumber]: false,
      [fresh.body.trackingNumber]: true,
    });
  });

  it('publishes an OpenAPI 3.1 document generated from the same schemas', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json').expect(200).expect('Content-Type', /json/)).body;
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.paths)).to.include.members(['/complaints', '/status']);
    const schema = doc.paths['/complaints'].post.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).to.equal(false);
    expect(schema.properties.narrative.maxLength).to.equal(20_000);
    expect(schema.required).to.include.members(['narrative', 'about', 'consent', 'truthful']);
    const lookup = doc.paths['/status'].post;
    expect(Object.keys(lookup.responses)).to.include.members(['200', '404', '429']);
    expect(lookup.requestBody.content['application/json'].schema.properties).to.have.keys(
      'trackingNumber',
      'accessCode',
    );
  });
});
