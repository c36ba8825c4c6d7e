import { expect } from 'chai';
import request from 'supertest';
import { createTranslator } from '../../server/platform/i18n.js';
import { services } from '../../server/compose.js';
import type { DispatchEvent } from '../../server/platform/workflow/workflow.service.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { capturingLogger, silentLogger } from '../support/logger.js';
import { csrfOf, errorsOf, readableMail } from '../support/resident.js';
import { SmtpPeer } from '../support/smtpPeer.js';
import { createStaff, signIn } from '../support/staff.js';

const DAY = 86_400_000;
const STAFF: Actor = {
  kind: 'staff',
  userId: '00000000-0000-4000-8000-000000000001',
  roles: ['supervisor', 'intake'],
  assignedToCase: true,
};
const SYSTEM: Actor = { kind: 'system' };
const COMPLAINANT: Actor = { kind: 'complainant' };
const SCORES = { respect: '5', understood: '4', informed: '2', explained: '3', trust: '1' };
const COMMENT = 'INTERNAL-ONLY: the investigator never called me back.';

/** The ways a case reaches 'closed', from a complaint just received. */
const CLOSINGS: Record<string, Array<{ event: DispatchEvent; actor: Actor }>> = {
  dismissed: [
    { event: { type: 'BEGIN_TRIAGE' }, actor: STAFF },
    { event: { type: 'DISMISS', reason: 'no_jurisdiction' }, actor: STAFF },
  ],
  referred: [
    { event: { type: 'BEGIN_TRIAGE' }, actor: STAFF },
    { event: { type: 'REFER', agency: 'County Sheriff Internal Affairs' }, actor: STAFF },
  ],
  mediated: [
    { event: { type: 'BEGIN_TRIAGE' }, actor: STAFF },
    { event: { type: 'OFFER_MEDIATION' }, actor: STAFF },
    { event: { type: 'MEDIATION_SUCCEEDED' }, actor: STAFF },
  ],
  withdrawn: [{ event: { type: 'WITHDRAW' }, actor: COMPLAINANT }],
  decided: [
    ...(['BEGIN_TRIAGE', 'ACCEPT'] as const).map((type) => ({ event: { type }, actor: STAFF })),
    { event: { type: 'ASSIGN', investigatorId: '00000000-0000-4000-8000-000000000001' }, actor: STAFF },
    ...(['BEGIN_INVESTIGATION', 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS', 'OPEN_VOTING'] as const).map((type) => ({
      event: { type },
      actor: STAFF,
    })),
    {
      event: { type: 'BOARD_DECIDED', reconsiderationUntil: new Date(Date.now() - 60_000).toISOString() },
      actor: SYSTEM,
    },
    { event: { type: 'RECONSIDERATION_WINDOW_CLOSED' }, actor: SYSTEM },
  ],
};

describe('closing surveys (issue #7)', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  const logs = capturingLogger();
  /** Every survey token this file handled: none may appear in a log line. */
  const tokens: string[] = [];
  let app: ReturnType<typeof testApp>;

  before(async () => {
    await peer.start();
    app = testApp(database.handle, {
      config: testConfig({ SMTP_URL: peer.url, TRUST_PROXY: 'true' }),
      logger: logs.logger,
    });
  });
  after(() => peer.stop());
  beforeEach(async () => {
    await database.db.deleteFrom('rate_limits').execute();
  });

  let client = 0;
  /** A fresh browser from its own address. */
  const browser = () => request.agent(app.app).set('X-Forwarded-For', `203.0.113.${++client}`);

  /** Files a complaint through the API; `about` undefined files anonymously. */
  const file = async (about: Record<string, string> | undefined, language: 'en' | 'es' = 'en') => {
    const filed = await request(app.app)
      .post('/api/v1/complaints')
      .set('X-Forwarded-For', `198.51.100.${++client % 250}`)
      .send({
        language,
        narrative: 'The officer shouted at me.',
        about: about ?? { filing: 'anonymous' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const { trackingNumber } = filed.body as { trackingNumber: string };
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', trackingNumber)
      .executeTakeFirstOrThrow();
    return id;
  };
  const named = (email: string, preferredLanguage: 'en' | 'es' = 'en') => ({
    filing: 'self',
    name: 'Survey Resident',
    email,
    preferredLanguage,
    preferredContact: 'email',
  });
  const close = async (id: string, how: keyof typeof CLOSINGS = 'dismissed') => {
    for (const { event, actor } of CLOSINGS[how]!) await app.services.workflow.dispatch(id, event, actor);
  };
  const invitations = (recipient: string) =>
    database.db
      .selectFrom('outbox')
      .select(['template', 'language', 'data'])
      .where('recipient', '=', recipient)
      .where('template', '=', 'surveyInvitation')
      .execute();
  const surveyOf = (complaintId: string) =>
    database.db.selectFrom('surveys').selectAll().where('complaint_id', '=', complaintId).executeTakeFirst();
  /** A closed, named case's survey token, from its queued invitation. */
  const openSurvey = async (email: string, language: 'en' | 'es' = 'en') => {
    const id = await file(named(email, language), language);
    await close(id);
    const [invitation] = await invitations(email);
    const url = (invitation!.data as { surveyUrl: string }).surveyUrl;
    const token = url.split('/survey/')[1]!;
    tokens.push(token);
    return { id, token };
  };
  const post = (agent: ReturnType<typeof browser>, token: string, fields: Record<string, string>) =>
    agent.post(`/survey/${token}`).type('form').send(fields);

  it('closing a named case queues exactly one survey invitation, its own message, and stores only a hash', async () => {
    const id = await file(named('ana@example.com'));
    await close(id, 'dismissed');
    const mail = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'template'])
      .where('recipient', '=', 'ana@example.com')
      .orderBy('created_at')
      .execute();
    expect(mail.map((m) => m.template)).to.deep.equal([
      'complaintReceived',
      'stageChanged',
      'stageChanged',
      'surveyInvitation',
    ]);
    const [invitation] = await invitations('ana@example.com');
    expect(invitation!.language).to.equal('en');
    const { surveyUrl, trackingNumber } = invitation!.data as { surveyUrl: string; trackingNumber: string };
    expect(surveyUrl).to.match(/^https?:\/\/[^/]+\/survey\/[A-Za-z0-9_-]{43}$/);
    expect(trackingNumber).to.match(/^OC-/);
    const token = surveyUrl.split('/survey/')[1]!;
    tokens.push(token);
    const survey = await surveyOf(id);
    expect(survey).to.include({ language: 'en', answered_at: null, respect: null, comment: null });
    expect(survey!.token_hash).to.match(/^[0-9a-f]{64}$/);
    expect(survey!.token_hash).not.to.contain(token);

    // Reopened and closed again: still the one survey, no second invitation.
    await app.services.workflow.dispatch(id, { type: 'REOPEN', reason: 'New evidence' }, STAFF);
    await app.services.workflow.dispatch(id, { type: 'WITHDRAW' }, COMPLAINANT);
    await app.services.workflow.dispatch(id, { type: 'CLOSE_WITHDRAWN' }, STAFF);
    const row = await database.db
      .selectFrom('complaints')
      .select('stage')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.stage).to.equal('closed');
    expect(await invitations('ana@example.com')).to.have.length(1);
    expect((await surveyOf(id))!.token_hash).to.equal(survey!.token_hash);
  });

  it('every way of closing invites: withdrawn, referred, mediated, after the board’s reconsideration window', async () => {
    for (const how of ['withdrawn', 'referred', 'mediated', 'decided'] as const) {
      const email = `${how}@example.com`;
      const id = await file(named(email));
      await close(id, how);
      expect(await invitations(email), how).to.have.length(1);
      expect(await surveyOf(id), how).not.to.equal(undefined);
    }
  });

  it('a Spanish complainant gets the invitation in Spanish and the link opens the form in Spanish', async () => {
    const id = await file(named('lucia@example.com', 'es'), 'es');
    await close(id, 'withdrawn');
    peer.received = [];
    await app.services.outbox.runOnce();
    const messages = peer.received.filter((m) => m.to.includes('lucia@example.com')).map((m) => readableMail(m.raw));
    const invitation = messages.find((m) => m.includes('/survey/'));
    expect(invitation).to.include('encuesta').and.include('90 días');
    // The receipt, the closing notice and the survey: three messages, one recipient each.
    expect(messages).to.have.length(3);
    expect(peer.received.every((m) => m.to.length === 1)).to.equal(true);
    const link = /https?:\/\/\S+\/survey\/([A-Za-z0-9_-]{43})/.exec(invitation!)!;
    tokens.push(link[1]!);
    // An English browser still sees the survey in its own language, Spanish...
    const form = await browser().set('Accept-Language', 'en').get(`/survey/${link[1]}`).expect(200);
    expect(form.text).to.include('<html lang="es">').and.include('Nuestro personal me trató con respeto.');
    expect(form.headers['cache-control']).to.include('no-store');
    // ...until the reader switches.
    const english = await browser().get(`/survey/${link[1]}?lang=en`).expect(200);
    expect(english.text).to.include('<html lang="en">').and.include('Our staff treated me with respect.');
    expect(english.text).to.include(`action="/survey/${link[1]}?lang=en"`);
    expect(await surveyOf(id)).to.include({ language: 'es', answered_at: null });
  });

  it('anonymous complaints and complainants without an email get no survey', async () => {
    const queued = () =>
      database.db.selectFrom('outbox').select('id').where('template', '=', 'surveyInvitation').execute();
    const before = (await queued()).length;
    const anonymous = await file(undefined);
    await close(anonymous, 'dismissed');
    const byPhone = await file({ filing: 'self', name: 'Phone Only', phone: '555 0199', preferredContact: 'phone' });
    await close(byPhone, 'referred');
    expect(await surveyOf(anonymous)).to.equal(undefined);
    expect(await surveyOf(byPhone)).to.equal(undefined);
    expect(await queued()).to.have.length(before);
  });

  it('the link works once: the form, the answers stored with the thank-you page, then the used page', async () => {
    const { id, token } = await openSurvey('once@example.com');
    const agent = browser();
    const form = await agent.get(`/survey/${token}`).expect(200);
    expect(form.headers['cache-control']).to.include('no-store');
    expect(form.text.match(/<fieldset class="usa-fieldset"/g)).to.have.length(5);
    expect(form.text.match(/<legend class="usa-legend">/g)).to.have.length(5);
    expect(form.text.match(/type="radio" name="respect"/g)).to.have.length(5);
    expect(form.text).to.include('1 – Strongly disagree').and.include('5 – Strongly agree');
    expect(form.text).to.include('It is never published');
    const csrf = csrfOf(form.text);

    const thanks = await post(agent, token, { _csrf: csrf, ...SCORES, comment: COMMENT }).expect(200);
    expect(thanks.text).to.include('Thank you for your answers');
    expect(thanks.headers['cache-control']).to.include('no-store');
    const stored = (await surveyOf(id))!;
    expect(stored).to.include({ respect: 5, understood: 4, informed: 2, explained: 3, trust: 1, comment: COMMENT });
    expect(stored.answered_at).to.be.instanceOf(Date);
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['actor_type', 'details'])
      .where('event_type', '=', 'survey.answered')
      .where('object_id', '=', stored.id)
      .execute();
    expect(audit).to.have.length(1);
    expect(JSON.stringify(audit)).not.to.contain('INTERNAL-ONLY');

    const again = await browser().get(`/survey/${token}`).expect(410);
    expect(again.text).to.include('This survey has already been answered');
    expect(again.headers['cache-control']).to.include('no-store');
    const resent = await post(agent, token, { _csrf: csrf, respect: '1', comment: 'changed my mind' }).expect(410);
    expect(resent.text).to.include('This survey has already been answered');
    expect(await surveyOf(id)).to.deep.equal(stored);
  });

  it('two simultaneous submissions store once; the other gets the used page', async () => {
    const { id, token } = await openSurvey('race@example.com');
    const agent = browser();
    const csrf = csrfOf((await agent.get(`/survey/${token}`).expect(200)).text);
    const [first, second] = await Promise.all([
      post(agent, token, { _csrf: csrf, respect: '1' }),
      post(agent, token, { _csrf: csrf, respect: '5' }),
    ]);
    expect([first.status, second.status].sort()).to.deep.equal([200, 410]);
    const winner = first.status === 200 ? 1 : 5;
    expect(await surveyOf(id)).to.include({ respect: winner });
    const audit = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'survey.answered')
      .where('object_id', '=', (await surveyOf(id))!.id)
      .execute();
    expect(audit).to.have.length(1);
  });

  describe('bad answers: 400 with an error summary in the reader’s language, nothing stored', () => {
    const BAD: Array<{ name: string; fields: Record<string, string>; field: string; en: string; es: string }> = [
      {
        name: 'a score of 0',
        fields: { respect: '0' },
        field: 'respect',
        en: 'Choose a number from 1 to 5',
        es: 'Elija un número del 1 al 5',
      },
      {
        name: 'a score of 6',
        fields: { trust: '6' },
        field: 'trust',
        en: 'Choose a number from 1 to 5',
        es: 'Elija un número del 1 al 5',
      },
      {
        name: "a score of 'x'",
        fields: { informed: 'x' },
        field: 'informed',
        en: 'Choose a number from 1 to 5',
        es: 'Elija un número del 1 al 5',
      },
      {
        name: 'a comment too long',
        fields: { respect: '4', comment: 'a'.repeat(5001) },
        field: 'comment',
        en: '5,000 characters or fewer',
        es: '5.000 caracteres o menos',
      },
      {
        name: 'nothing answered',
        fields: { comment: '   ' },
        field: 'answers',
        en: 'Answer at least one question, or write a comment',
        es: 'Responda al menos una pregunta o escriba un comentario',
      },
      {
        name: 'a field the form does not have',
        fields: { respect: '3', extra: '1' },
        field: 'extra',
        en: 'field we do not accept',
        es: 'campo que no aceptamos',
      },
    ];
    let english: { id: string; token: string };
    let spanish: { id: string; token: string };
    before(async () => {
      english = await openSurvey('bad-en@example.com');
      spanish = await openSurvey('bad-es@example.com', 'es');
    });

    for (const bad of BAD) {
      for (const language of ['en', 'es'] as const) {
        it(`${bad.name}, in ${language}`, async () => {
          const { id, token } = language === 'en' ? english : spanish;
          const agent = browser();
          const csrf = csrfOf((await agent.get(`/survey/${token}`).expect(200)).text);
          const res = await post(agent, token, { _csrf: csrf, ...bad.fields }).expect(400);
          expect(res.text).to.include(`<html lang="${language}">`);
          expect(res.text).to.include('id="error-summary"').and.include(`href="#field-${bad.field}"`);
          expect(res.text).to.include(language === 'en' ? 'There is a problem' : 'Hay un problema');
          // In the summary, and beside the field (a field the form does not have has no place to show it).
          expect(res.text).to.include(bad[language]);
          if (bad.field !== 'extra') {
            expect(res.text).to.include(`id="field-${bad.field}"`);
            expect(errorsOf(res.text).join(' ')).to.include(bad[language]);
          }
          expect(res.headers['cache-control']).to.include('no-store');
          expect(await surveyOf(id)).to.include({ answered_at: null, respect: null, comment: null, trust: null });
        });
      }
    }

    it('a form without its token, or with another survey’s, is refused (403) in the survey’s language', async () => {
      const agent = browser();
      await post(agent, spanish.token, { ...SCORES }).expect(403);
      const otherCsrf = csrfOf((await agent.get(`/survey/${english.token}`).expect(200)).text);
      const refused = await post(agent, spanish.token, { _csrf: otherCsrf, ...SCORES }).expect(403);
      expect(refused.text).to.include('<html lang="es">').and.include('Este formulario ya venció');
      expect(await surveyOf(spanish.id)).to.include({ answered_at: null, respect: null });
    });

    it('the form says what it requires, as the validation does: no one question, but one answer or a comment (#17 item 11)', async () => {
      const promise = {
        en: 'no question is required, but send at least one answer or a comment',
        es: 'ninguna es obligatoria, pero envíe al menos una respuesta o un comentario',
      };
      for (const [language, survey] of [
        ['en', english],
        ['es', spanish],
      ] as const) {
        const form = await browser().get(`/survey/${survey.token}`).expect(200);
        expect(form.text, language).to.include(promise[language]);
        expect(form.text, language).not.to.match(/Every question is optional|Todas las preguntas son opcionales/);
      }
      // As said: nothing is refused (the case above), a comment alone or any one question is enough.
      const onlyComment = await openSurvey('only-comment@example.com');
      const agent = browser();
      const csrf = csrfOf((await agent.get(`/survey/${onlyComment.token}`).expect(200)).text);
      await post(agent, onlyComment.token, { _csrf: csrf, comment: 'Just this.' }).expect(200);
      expect(await surveyOf(onlyComment.id)).to.include({ comment: 'Just this.', respect: null });
      const onlyLast = await openSurvey('only-last@example.com');
      const other = browser();
      const token = csrfOf((await other.get(`/survey/${onlyLast.token}`).expect(200)).text);
      await post(other, onlyLast.token, { _csrf: token, trust: '2' }).expect(200);
      expect(await surveyOf(onlyLast.id)).to.include({ trust: 2, respect: null, comment: null });
    });

    it('a rejected form keeps the answers given', async () => {
      const agent = browser();
      const csrf = csrfOf((await agent.get(`/survey/${english.token}`).expect(200)).text);
      const res = await post(agent, english.token, { _csrf: csrf, respect: '4', trust: '9', comment: 'kept' }).expect(
        400,
      );
      expect(res.text).to.match(/name="respect" value="4" checked/);
      expect(res.text).to.include('>kept</textarea>');
    });
  });

  it('unknown, malformed and expired links get the same clear page (410), never an error', async () => {
    const unknown = 'A'.repeat(43);
    const malformed = ['abc', 'x'.repeat(300), '%00', '..%2F..%2Fetc', 'A'.repeat(42) + '*'];
    const pages = [await browser().get(`/survey/${unknown}`)];
    for (const token of malformed) pages.push(await browser().get(`/survey/${token}`));
    for (const page of pages) {
      expect(page.status, page.text.slice(0, 200)).to.equal(410);
      expect(page.text).to.include('This survey link cannot be used');
      expect(page.headers['cache-control']).to.include('no-store');
    }
    await browser().post(`/survey/${unknown}`).type('form').send(SCORES).expect(410);
    await browser().post('/survey/abc').type('form').send(SCORES).expect(410);
    await browser().get('/survey/').expect(404);

    const { id, token } = await openSurvey('late@example.com', 'es');
    const agent = browser();
    const csrf = csrfOf((await agent.get(`/survey/${token}`).expect(200)).text);
    await database.db
      .updateTable('surveys')
      .set({ sent_at: new Date(Date.now() - 91 * DAY) })
      .where('complaint_id', '=', id)
      .execute();
    const expired = await agent.get(`/survey/${token}`).expect(410);
    expect(expired.text).to.include('<html lang="es">').and.include('Este enlace de encuesta no se puede usar');
    await post(agent, token, { _csrf: csrf, ...SCORES }).expect(410);
    expect(await surveyOf(id)).to.include({ answered_at: null, respect: null });
  });

  it('limits dead links per client, even for a good link afterwards; other clients are unaffected', async () => {
    const { token } = await openSurvey('limit@example.com');
    const guesser = browser();
    for (let i = 0; i < 20; i++)
      await guesser.get(`/survey/${'G'.repeat(40)}${String(i).padStart(3, '0')}`).expect(410);
    const limited = await guesser.get(`/survey/${token}`).expect(429);
    expect(limited.text).to.include('Too many attempts');
    await browser().get(`/survey/${token}`).expect(200);
    // The client's address is stored only as a keyed hash.
    const buckets = await database.db.selectFrom('rate_limits').select('bucket').execute();
    expect(JSON.stringify(buckets)).not.to.contain('203.0.113.');
  });

  it('the comment never reaches anything public: the rollups count scores only; the dashboard does not show it', async () => {
    await app.services.statistics.refresh();
    const rollups = await database.db.selectFrom('stats_rollup').selectAll().execute();
    const survey = rollups.filter((r) => r.measure.startsWith('survey_'));
    expect(survey.length).to.be.greaterThan(0);
    expect(survey.every((r) => /^[1-5]$/.test(r.key))).to.equal(true);
    expect(JSON.stringify(rollups)).not.to.contain('INTERNAL-ONLY');
    const openData = await database.db.selectFrom('open_data_rows').selectAll().execute();
    expect(JSON.stringify(openData)).not.to.contain('INTERNAL-ONLY');
    for (const path of ['/dashboard', '/dashboard?lang=es']) {
      const page = await request(app.app).get(path);
      if (page.status === 200) expect(page.text).not.to.contain('INTERNAL-ONLY');
    }
  });

  it('supervisors see the survey and its internal comment on the case page; other roles do not', async () => {
    const { id, token } = await openSurvey('staffview@example.com');
    const agent = browser();
    const csrf = csrfOf((await agent.get(`/survey/${token}`).expect(200)).text);
    await post(agent, token, { _csrf: csrf, respect: '2', trust: '4', comment: 'SUPERVISORS-ONLY remark' }).expect(200);
    const supervisor = await signIn(app.app, await createStaff(database.db, ['supervisor']));
    const page = await supervisor.get(`/staff/cases/${id}`).expect(200);
    expect(page.text).to.include('Closing survey').and.include('SUPERVISORS-ONLY remark');
    expect(page.text).to.include('2 – Disagree').and.include('4 – Agree').and.include('Not answered');
    const intake = await signIn(app.app, await createStaff(database.db, ['intake']));
    const other = await intake.get(`/staff/cases/${id}`).expect(200);
    expect(other.text).not.to.include('SUPERVISORS-ONLY').and.not.include('Closing survey');
  });

  describe('afterwards', () => {
    it('no survey token ever reaches the logs', () => {
      expect(tokens.length).to.be.greaterThan(5);
      expect(logs.lines.length).to.be.greaterThan(20);
      const all = logs.lines.join('\n');
      for (const token of tokens) expect(all).not.to.contain(token);
      expect(all).to.contain('/survey/:token');
    });
  });
});

describe('demo closing surveys', () => {
  const database = useDatabase();

  it('answers most of the demo’s closing surveys, varied, leaves one unanswered, and only once', async () => {
    const svc = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    await svc.demo.ensureDemoData(undefined);
    const rows = await database.db.selectFrom('surveys').selectAll().execute();
    const answered = rows.filter((r) => r.answered_at);
    expect(answered.length).to.be.at.least(8);
    expect(rows.filter((r) => !r.answered_at).length).to.be.at.least(1);
    for (const question of ['respect', 'understood', 'informed', 'explained', 'trust'] as const) {
      expect(new Set(answered.map((r) => r[question]).filter((v) => v !== null)).size, question).to.be.at.least(3);
    }
    expect(new Set(rows.map((r) => r.language))).to.deep.equal(new Set(['en', 'es']));
    await svc.statistics.refresh();
    const respect = await database.db
      .selectFrom('stats_rollup')
      .select(['key', 'count'])
      .where('measure', '=', 'survey_respect')
      .execute();
    expect(respect.reduce((sum, r) => sum + Number(r.count), 0)).to.equal(
      answered.filter((r) => r.respect !== null).length,
    );

    await svc.demo.ensureDemoData(undefined);
    const again = await database.db.selectFrom('surveys').select('answered_at').execute();
    expect(again.filter((r) => r.answered_at).length).to.equal(answered.length);
  });
});
