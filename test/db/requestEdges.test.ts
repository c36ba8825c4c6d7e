import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createTranslator } from '../../server/platform/i18n.js';
import { services as buildServices } from '../../server/compose.js';
import { testApp, testConfig } from '../support/app.js';
import { freshDatabase, useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { pdf } from '../support/evidenceFixtures.js';
import { csrfOf, fileThroughForm, startForm } from '../support/resident.js';

const COMPLAINT = {
  language: 'en',
  narrative: 'An officer was rude to me at the bus stop.',
  about: { filing: 'anonymous' },
  consent: true,
  truthful: true,
};

describe('the smaller abuse paths found in testing (#15 item 10)', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>;

  before(() => {
    app = testApp(database.handle, { config: testConfig({ UPLOAD_MAX_FILES: '10' }) });
  });

  const complaintCount = async () => (await database.db.selectFrom('complaints').select('id').execute()).length;

  it('two uploads to one draft at once keep to its file limit, and leave no stored file behind', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    const upload = (tag: string) => {
      let req = agent.post('/complaint/evidence').field('_csrf', csrf).field('action', 'add');
      for (let i = 0; i < 6; i++)
        req = req.attach('evidence', Buffer.from(`statement ${tag} ${i}\n`), `${tag}-${i}.txt`);
      return req;
    };
    const answers = await Promise.all([upload('a'), upload('b')]);
    expect(answers.map((res) => res.status).sort()).to.deep.equal([303, 400]);
    const refused = answers.find((res) => res.status === 400)!;
    expect(refused.text).to.contain('10');
    const page = await agent.get('/complaint/evidence').expect(200);
    expect(new Set(page.text.match(/\b[ab]-\d\.txt/g))).to.have.property('size', 6);
    // The refused batch's files were removed from storage; the kept batch's six remain.
    const stored = await readdir(path.join(app.config.uploadDir, 'files'));
    expect(stored).to.have.length(6);
  });

  it('keeps a file name in any script as the resident wrote it', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    await agent
      .post('/complaint/evidence')
      .field('_csrf', csrf)
      .field('action', 'add')
      .attach('evidence', pdf(), 'declaración_José_陈述.pdf')
      .expect(303);
    const page = await agent.get('/complaint/evidence').expect(200);
    expect(page.text).to.contain('declaración_José_陈述.pdf');
  });

  it('refuses JSON declared in another charset (415) and bytes that are not UTF-8 (400), filing nothing', async () => {
    /** The bytes as they are: superagent would otherwise turn a Buffer into JSON of its own. */
    const post = (contentType: string, bytes: Buffer) =>
      request(app.app)
        .post('/api/v1/complaints')
        .set('Content-Type', contentType)
        .serialize((body: unknown) => body as string)
        .send(bytes);
    const before = await complaintCount();
    const utf16 = await post('application/json; charset=utf-16le', Buffer.from(JSON.stringify(COMPLAINT), 'utf16le'));
    expect(utf16.status).to.equal(415);
    expect(utf16.body.error.message).to.equal('We cannot read that kind of content');
    const latin1 = await post('application/json; charset=ISO-8859-1', Buffer.from(JSON.stringify(COMPLAINT), 'latin1'));
    expect(latin1.status).to.equal(415);
    const [head, tail] = JSON.stringify({ ...COMPLAINT, narrative: 'Caf@ was where it happened.' }).split('@');
    const broken = await post(
      'application/json',
      Buffer.concat([Buffer.from(head!), Buffer.from([0xe9, 0xff]), Buffer.from(tail!)]),
    );
    expect(broken.status).to.equal(400);
    expect(broken.headers['content-type']).to.match(/json/);
    expect(await complaintCount()).to.equal(before);
    // UTF-8, declared or not, is fine.
    const narrative = 'Señor José was shoved at the café. 陈述';
    for (const contentType of ['application/json; charset=UTF-8', 'application/json']) {
      const fine = await post(contentType, Buffer.from(JSON.stringify({ ...COMPLAINT, narrative })));
      expect(fine.status, JSON.stringify(fine.body)).to.equal(201);
    }
    const stored = await database.db.selectFrom('complaints').select('id').where('narrative', '=', narrative).execute();
    expect(stored).to.have.length(2);
  });

  it('refuses NUL in any text and year-0 dates with clear messages, filing nothing, and a dashboard range before year 1 (found by fuzzing)', async () => {
    const before = await complaintCount();
    const nul = await request(app.app)
      .post('/api/v1/complaints')
      .send({ ...COMPLAINT, narrative: 'Before\u0000after' })
      .expect(400);
    expect(nul.body.error.message).to.equal('We could not read that request');
    const page = await request(app.app)
      .post('/status')
      .type('form')
      .set('Accept-Language', 'es')
      .send({ trackingNumber: 'OC-2222-2222\u0000', accessCode: 'x' })
      .expect(400);
    expect(page.text).to.contain('el carácter invisible NUL');
    const early = await request(app.app)
      .post('/api/v1/complaints')
      .send({ ...COMPLAINT, incidentDate: '0000-01-01' })
      .expect(400);
    expect(early.body.error.errors).to.deep.equal([{ field: 'incidentDate', message: 'Enter a date from 1900 on' }]);
    expect(await complaintCount()).to.equal(before);
    // The dashboard's range before year 1 was a 500: now a field error, or a range that starts in 1900.
    const dashboard = await request(app.app).get('/dashboard?to=0000-01').expect(400);
    expect(dashboard.text).to.contain('usa-error-message');
    await request(app.app).get('/dashboard?to=1901-06').expect(200);
  });

  it('a status pass is ended only by its own page’s form (R13)', async () => {
    const filed = await fileThroughForm(app.app, { language: 'en' });
    const agent = request.agent(app.app);
    await agent
      .post('/status')
      .type('form')
      .send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode })
      .redirects(1)
      .expect(200);
    // Its own page: the confirmation the case page links to (#17).
    const opened = await agent.get('/status/sign-out').expect(200);
    await agent.post('/status/sign-out').type('form').send({}).expect(403);
    await agent.get('/status/case').expect(200);
    await agent
      .post('/status/sign-out')
      .type('form')
      .send({ _csrf: csrfOf(opened.text) })
      .expect(303);
    expect((await agent.get('/status/case')).status).to.not.equal(200);
  });

  it('in production over plain HTTP, the staff pages say why sign-in cannot work', async () => {
    const production = (env: Record<string, string>) =>
      testApp(database.handle, {
        config: testConfig({
          NODE_ENV: 'production',
          PUBLIC_BASE_URL: 'https://oversight.example.gov',
          SMTP_URL: 'smtp://127.0.0.1:2525',
          ...env,
        }),
      }).app;
    const plain = await request(production({})).get('/staff/sign-in').set('Accept-Language', 'es').expect(403);
    expect(plain.text).to.contain('necesitan una conexión segura').and.to.contain('TRUST_PROXY');
    expect(plain.headers['set-cookie']).to.equal(undefined);
    const proxied = await request(production({ TRUST_PROXY: '1' }))
      .get('/staff/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(String(proxied.headers['set-cookie'])).to.match(/Secure/);
  });
});

describe('two instances starting together on an empty database (#15 item 10)', () => {
  it('create the demo once, and neither fails', async function () {
    this.timeout(120_000);
    const database = await freshDatabase();
    try {
      const instance = () =>
        buildServices({ config: testConfig(), database, translator: createTranslator(), logger: silentLogger });
      const results = await Promise.all([
        instance().demo.ensureDemoData(undefined),
        instance().demo.ensureDemoData(undefined),
      ]);
      expect(results.map((r) => r.created).sort()).to.deep.equal([false, true]);
      const users = await database.db.selectFrom('users').select('email').execute();
      expect(users.length).to.equal(results[0]!.accounts.length);
    } finally {
      await database.close();
    }
  });
});
