import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { signInAdmin } from '../support/admin.js';
import { useDatabase } from '../support/database.js';
import { capturingLogger } from '../support/logger.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';
import { TRUST_LIMITS, trustSurveyService } from '../../server/features/surveys/trustSurvey.service.js';
import { systemClock } from '../../server/platform/clock.js';
import type { Quotas } from '../../server/platform/security/quotas.js';
import { hmacHex } from '../../server/platform/security/keys.js';

const DISTRICTS = [
  { code: 'harbor', name_en: 'Harbor', name_es: 'Puerto' },
  { code: 'hills', name_en: 'Hills', name_es: 'Colinas' },
];
const ITEMS = ['respect', 'doRight', 'knowHow'];

describe('community trust surveys (#19 part 4)', () => {
  const database = useDatabase();
  const logs = capturingLogger();
  let built: ReturnType<typeof testApp>;
  let admin: Agent;
  let waveId = '';
  let client = 0;

  const db = () => database.db;
  const today = () => built.services.trustWaves.today();
  const addDays = (day: string, n: number) =>
    new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  /** A browser of its own, from an address of its own unless told. */
  const browser = (address = `203.0.113.${++client % 250}`) => request.agent(built.app).set('X-Forwarded-For', address);
  const openWaveForm = async (fields: Record<string, string | string[]>) => {
    const page = await admin.get('/staff/admin/trust-surveys').expect(200);
    return admin
      .post('/staff/admin/trust-surveys')
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...fields });
  };
  /** Loads the form (which hands out the browser's token) and sends the answers. */
  const answer = async (agent: Agent, fields: Record<string, string>, language = 'en') => {
    const form = await agent.get(`/community-survey/${waveId}?lang=${language}`).expect(200);
    return agent
      .post(`/community-survey/${waveId}`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), ...fields });
  };
  const answers = () => db().selectFrom('trust_answers').selectAll().where('wave_id', '=', waveId).execute();

  before(async () => {
    await db().insertInto('districts').values(DISTRICTS).execute();
    built = testApp(database.handle, { config: testConfig({ TRUST_PROXY: 'true' }), logger: logs.logger });
    ({ agent: admin } = await signInAdmin(built.app, built.services, db()));
  });
  beforeEach(() => db().deleteFrom('rate_limits').execute());

  it('shows no survey on the home page and says so at /community-survey while no wave is open', async () => {
    const home = await request(built.app).get('/').expect(200);
    expect(home.text).not.to.contain('/community-survey');
    const none = await request(built.app).get('/community-survey?lang=es').expect(200);
    expect(none.text).to.contain('No hay ninguna encuesta comunitaria abierta ahora');
  });

  it('is for admins only', async () => {
    const staff = await createStaff(db(), ['supervisor', 'intake']);
    const agent = await signIn(built.app, staff);
    await agent.get('/staff/admin/trust-surveys').expect(404);
  });

  it('refuses a wave with bad dates, no statement, a start in the past, with a translated error summary', async () => {
    const page = await admin.get('/staff/admin/trust-surveys').expect(200);
    const base = { _csrf: csrfOf(page.text) };
    const bad = await admin
      .post('/staff/admin/trust-surveys')
      .type('form')
      .send({ ...base, opensOn: '2027-02-30', closesOn: today(), extra: 'x' })
      .expect(400);
    expect(bad.text).to.contain('id="error-summary"');
    expect(errorsOf(bad.text)).to.include.members([
      'Enter a real date as year-month-day, such as 2027-03-01',
      'Choose at least one statement',
    ]);
    const backwards = await openWaveForm({ opensOn: addDays(today(), 3), closesOn: today(), items: ITEMS });
    expect(errorsOf(backwards.text)).to.deep.equal(['The last day must be on or after the first day']);
    const past = await openWaveForm({ opensOn: addDays(today(), -1), closesOn: today(), items: ITEMS });
    expect(errorsOf(past.text)).to.deep.equal(['The first day cannot be in the past']);
    expect(await db().selectFrom('trust_waves').select('id').execute()).to.deep.equal([]);
  });

  it('opens a wave (audited), refuses an overlapping one, and invites everyone from the home page', async () => {
    const opened = await openWaveForm({
      opensOn: today(),
      closesOn: addDays(today(), 30),
      items: ITEMS,
      asksDemographics: 'yes',
    });
    expect(opened.status, opened.text.slice(0, 500)).to.equal(303);
    const wave = await db().selectFrom('trust_waves').selectAll().executeTakeFirstOrThrow();
    waveId = wave.id;
    expect(wave.items).to.deep.equal(ITEMS);
    expect(wave.asks_demographics).to.equal(true);
    const audit = await db()
      .selectFrom('audit_events')
      .select(['event_type', 'object_id'])
      .where('event_type', 'like', 'trustWave.%')
      .execute();
    expect(audit).to.deep.equal([{ event_type: 'trustWave.open', object_id: waveId }]);

    const overlap = await openWaveForm({
      opensOn: addDays(today(), 10),
      closesOn: addDays(today(), 40),
      items: ['voice'],
    });
    expect(overlap.status).to.equal(400);
    expect(errorsOf(overlap.text)[0]).to.match(/^Another wave is open or planned/);

    const home = await request(built.app).get('/?lang=es').expect(200);
    expect(home.text).to.contain(`href="/community-survey/${waveId}"`);
    expect(home.text).to.contain('Responder la encuesta comunitaria');
    await request(built.app).get('/community-survey').expect(303).expect('Location', `/community-survey/${waveId}`);
    const list = await admin.get('/staff/admin/trust-surveys').expect(200);
    expect(list.text).to.contain('Open');
  });

  it('asks the wave’s statements, the district and the demographics, in both languages, with a one-time cookie', async () => {
    const agent = browser();
    const en = await agent.get(`/community-survey/${waveId}?lang=en`).expect(200);
    expect(en.text).to.contain('The police where I live treat people with dignity and respect.');
    expect(en.text).not.to.contain('make fair and impartial decisions');
    expect(en.text).to.contain('<option value="harbor">Harbor</option>');
    expect(en.text).to.contain('Your race or ethnicity');
    const cookie = String(en.headers['set-cookie']);
    expect(cookie).to.match(new RegExp(`oc_trust=[A-Za-z0-9_-]{43}; Max-Age=\\d+; Path=/community-survey/${waveId};`));
    expect(cookie).to.contain('HttpOnly').and.to.contain('SameSite=Lax');
    const es = await agent.get(`/community-survey/${waveId}?lang=es`).expect(200);
    expect(es.text).to.contain('Confío en que la policía donde vivo hace lo correcto.');
    expect(es.headers['set-cookie'] ?? '', 'the token is kept, not replaced').not.to.contain('oc_trust');
  });

  it('refuses bad answers with a translated error summary, and never answers 500', async () => {
    const agent = browser();
    const nothing = await answer(agent, {}, 'es');
    expect(nothing.status).to.equal(400);
    expect(nothing.text).to.contain('href="#field-answers"');
    expect(nothing.text).to.contain('Responda al menos una de las afirmaciones');
    const odd = await answer(agent, { respect: '9', district: 'atlantis', gender: 'x', comment: 'hi' });
    expect(odd.status).to.equal(400);
    expect(errorsOf(odd.text)).to.have.length(3);
    expect(odd.text).to.contain('href="#field-comment"');
    expect((await answer(agent, { respect: '3.5' })).status).to.equal(400);
    expect(await answers()).to.deep.equal([]);
  });

  it('refuses a form without its browser’s token, or another browser’s form', async () => {
    const form = await browser().get(`/community-survey/${waveId}`).expect(200);
    const csrf = csrfOf(form.text);
    await request(built.app)
      .post(`/community-survey/${waveId}`)
      .type('form')
      .send({ _csrf: csrf, respect: '4' })
      .expect(403);
    const other = browser();
    await other.get(`/community-survey/${waveId}`).expect(200);
    await other.post(`/community-survey/${waveId}`).type('form').send({ _csrf: csrf, respect: '4' }).expect(403);
    expect(await answers()).to.deep.equal([]);
  });

  it('takes one answer per browser per wave, and stores no address, user agent or token', async () => {
    const agent = browser('198.51.100.77').set('User-Agent', 'CanaryBrowser/1.0');
    const stored = await answer(agent, { respect: '4', doRight: '2', district: 'harbor', ageRange: '25-34' });
    expect(stored.status).to.equal(200);
    expect(stored.text).to.contain('Thank you for taking part');
    // The form is not shown again: the page says this browser has answered.
    const page = await agent.get(`/community-survey/${waveId}`).expect(200);
    expect(page.text).to.contain('You have already answered this survey');
    expect(page.text).not.to.contain('name="_csrf"');

    const rows = await answers();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({
      district: 'harbor',
      age_range: '25-34',
      gender: null,
      race: null,
      answered_on: today(),
    });
    expect(rows[0]!.scores).to.deep.equal({ respect: 4, doRight: 2 });
    const everything = JSON.stringify([
      await db().selectFrom('trust_answers').selectAll().execute(),
      await db().selectFrom('trust_ballots').selectAll().execute(),
      await db().selectFrom('trust_results').selectAll().execute(),
      await db().selectFrom('rate_limits').selectAll().execute(),
    ]);
    expect(everything).not.to.contain('198.51.100.77').and.not.to.contain('CanaryBrowser');
    const token = /oc_trust=([^;]+)/.exec(
      String((await browser().get(`/community-survey/${waveId}`)).headers['set-cookie']),
    )![1]!;
    expect(everything).not.to.contain(token);
    expect(logs.lines.join('\n')).not.to.contain('198.51.100.77');
  });

  it('replaces the spent token with an "answered" marker, and keeps only a keyed hash of it', async () => {
    const agent = browser();
    const form = await agent.get(`/community-survey/${waveId}`).expect(200);
    const token = /oc_trust=([A-Za-z0-9_-]{43});/.exec(String(form.headers['set-cookie']))![1]!;
    const stored = await agent
      .post(`/community-survey/${waveId}`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), respect: '5', gender: 'woman' })
      .expect(200);
    // Nothing the browser keeps leads to its ballot, and from there (one transaction) to its answer.
    const cookie = String(stored.headers['set-cookie']);
    expect(cookie).to.match(new RegExp(`oc_trust=answered; Max-Age=\\d+; Path=/community-survey/${waveId};`));
    expect(cookie).not.to.contain(token);
    const again = await agent.get(`/community-survey/${waveId}?lang=es`).expect(200);
    expect(again.text).to.contain('Usted ya respondió esta encuesta');
    expect(again.text).not.to.contain('name="_csrf"');
    await agent.post(`/community-survey/${waveId}`).type('form').send({ respect: '1' }).expect(409);

    const ballots = (await db().selectFrom('trust_ballots').select('token_hash').execute()).map((b) => b.token_hash);
    expect(ballots).not.to.include(createHash('sha256').update(token).digest('hex'));
    expect(ballots).to.include(hmacHex(built.services.keys.trustBallot, token));
    // A browser that kept its spent token (the answer's response lost) is still refused, and loses it.
    const kept = () => request(built.app).get(`/community-survey/${waveId}`).set('Cookie', `oc_trust=${token}`);
    const back = await kept().expect(200);
    expect(back.text).to.contain('You have already answered this survey');
    expect(String(back.headers['set-cookie'])).to.contain('oc_trust=answered;');
    await request(built.app)
      .post(`/community-survey/${waveId}`)
      .set('Cookie', `oc_trust=${token}`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), respect: '1' })
      .expect(409);
  });

  it('answers a second submit of the same form (double click) with "already answered", storing one answer', async () => {
    const before = (await answers()).length;
    const agent = browser();
    const form = await agent.get(`/community-survey/${waveId}`).expect(200);
    const send = () =>
      agent
        .post(`/community-survey/${waveId}`)
        .type('form')
        .send({ _csrf: csrfOf(form.text), knowHow: '5' });
    const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
    expect(statuses).to.deep.equal([200, 409, 409]);
    expect((await answers()).length).to.equal(before + 1);
    const results = await db()
      .selectFrom('trust_results')
      .select(['answers', 'score_sum'])
      .where('wave_id', '=', waveId)
      .where('district', '=', 'unknown')
      .where('item', '=', 'knowHow')
      .executeTakeFirstOrThrow();
    expect(results).to.deep.equal({ answers: 1, score_sum: 5 });
  });

  it(`limits answers from one connection to ${TRUST_LIMITS.answersPerClientPerHour} an hour, whatever its cookies`, async () => {
    const address = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i < TRUST_LIMITS.answersPerClientPerHour; i++) {
      statuses.push((await answer(browser(address), { knowHow: '3', respect: '3', district: 'hills' })).status);
    }
    expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    const last = await answer(browser(address), { respect: '3' });
    expect(last.status).to.equal(429);
    expect(last.text).to.contain('Too many answers from this connection');
  });

  it('counts an IPv6 client by its /64 (it picks any address in it), an IPv4 client by its address', async () => {
    const counted: string[] = [];
    const quotas = { take: (_kind: string, who: string) => (counted.push(who), Promise.resolve(false)) };
    const service = trustSurveyService({
      db: db(),
      quotas: quotas as unknown as Quotas,
      keys: built.services.keys,
      clock: systemClock,
      timeZone: built.config.agencyTimeZone,
    });
    const answers = { scores: { respect: 3 }, district: null, ageRange: null, gender: null, race: null };
    for (const client of ['2001:db8:5:6::1', '2001:db8:5:6:a:b:c:d', '2001:db8:5:7::1', '192.0.2.10']) {
      expect(await service.answer(waveId, service.newToken(), answers, client)).to.equal('limited');
    }
    expect(counted).to.deep.equal([
      `${waveId}:2001:db8:5:6::/64`,
      `${waveId}:2001:db8:5:6::/64`,
      `${waveId}:2001:db8:5:7::/64`,
      `${waveId}:192.0.2.10`,
    ]);
  });

  it('publishes a closed wave on the dashboard by district, with small cells withheld', async () => {
    const before = await request(built.app).get('/dashboard').expect(200);
    expect(before.text).to.contain('No community survey has closed yet.');
    expect(before.text).to.contain(`href="/community-survey/${waveId}"`);

    const list = await admin.get('/staff/admin/trust-surveys').expect(200);
    await admin
      .post(`/staff/admin/trust-surveys/${waveId}/close`)
      .type('form')
      .send({ _csrf: csrfOf(list.text) })
      .expect(303);
    const events = await db()
      .selectFrom('audit_events')
      .select('event_type')
      .where('event_type', '=', 'trustWave.close')
      .execute();
    expect(events).to.have.length(1);

    await browser().get(`/community-survey/${waveId}`).expect(410);
    expect((await request(built.app).get('/').expect(200)).text).not.to.contain('/community-survey');

    const page = await request(built.app).get('/dashboard?lang=en').expect(200);
    const section = page.text.slice(page.text.indexOf('id="trust-heading"'));
    // 20 in Hills (shown, rounded), 1 in Harbor and 1 with no district (withheld).
    const hills = await db()
      .selectFrom('trust_results')
      .select('answers')
      .where('wave_id', '=', waveId)
      .where('district', '=', 'hills')
      .where('item', '=', '')
      .executeTakeFirstOrThrow();
    expect(hills.answers).to.equal(TRUST_LIMITS.answersPerClientPerHour);
    expect(section).to.contain('Average agreement with each statement, by survey wave');
    expect(section).to.contain('>20<');
    expect(section).to.contain('>3.0<');
    expect(section).to.contain('fewer than 5');
    expect(section).to.contain('District not given');
    expect(section).to.contain('not shown (fewer than 5)');
    expect(section).not.to.contain('>22<').and.not.to.contain('>1<');
  });
});
