import { expect } from 'chai';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { pdf } from '../support/evidenceFixtures.js';
import {
  csrfOf,
  fileThroughForm,
  NAMED_ANSWERS,
  readableMail,
  receiptCodes,
  SPANISH_RESIDENT,
  startForm,
} from '../support/resident.js';
import { CASE_SESSION_MS, issueCaseToken } from '../../server/features/residents/residentSession.js';
import { createStaff, signIn } from '../support/staff.js';
import { formatDay } from '../../server/platform/dates.js';
import { lastDayOf } from '../../workflows/deadline.policy.js';
import { SmtpPeer } from '../support/smtpPeer.js';
import type { Actor } from '../../workflows/complaint.permissions.js';

const SUPERVISOR: Actor = {
  kind: 'staff',
  userId: '00000000-0000-4000-8000-000000000001',
  roles: ['supervisor', 'intake'],
  assignedToCase: true,
};

describe('status lookup and the resident’s own case (R10, R16)', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  let app: ReturnType<typeof testApp>;
  let spanish: { trackingNumber: string; accessCode: string };

  before(async () => {
    await peer.start();
    // Behind a proxy, each client is told apart by X-Forwarded-For.
    app = testApp(database.handle, { config: testConfig({ SMTP_URL: peer.url, TRUST_PROXY: 'true' }) });
    spanish = await fileThroughForm(app.app, {
      language: 'es',
      answers: SPANISH_RESIDENT,
    });
  });
  after(() => peer.stop());
  beforeEach(async () => {
    await app.services.outbox.runOnce();
    peer.received = [];
    await database.db.deleteFrom('rate_limits').execute();
  });

  let client = 0;
  /** A fresh browser from its own address. */
  const browser = () => request.agent(app.app).set('X-Forwarded-For', `198.51.100.${++client}`);
  const lookup = (agent: ReturnType<typeof browser>, trackingNumber: string, accessCode: string) =>
    agent.post('/status').type('form').send({ trackingNumber, accessCode });
  const complaintId = async (trackingNumber: string) =>
    (
      await database.db
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', trackingNumber)
        .executeTakeFirstOrThrow()
    ).id;

  it('shows the public stage, its date, the next step with a target date, in the page language', async () => {
    // The lookup sets the pass and redirects (#17): the case page is its GET.
    const agent = browser().set('Accept-Language', 'es');
    const posted = await lookup(agent, spanish.trackingNumber, spanish.accessCode).expect(303);
    expect(posted.headers['set-cookie']?.[0]).to.match(/oc_case=.*HttpOnly/);
    const page = await agent.get(posted.headers['location']!).expect(200);
    expect(page.text).to.include(spanish.trackingNumber);
    expect(page.text).to.include('Recibida');
    expect(page.text).to.match(/Fecha (prevista|objetivo)|fecha/i);
    expect(page.headers['cache-control']).to.include('no-store');
    // Typed loosely: lower case, without dashes.
    await lookup(browser(), spanish.trackingNumber.toLowerCase().replaceAll('-', ''), spanish.accessCode.toLowerCase())
      .redirects(1)
      .expect(200);
  });

  it('promises no date of a clock that has stopped, even one that stopped late (breached)', async () => {
    const filed = await fileThroughForm(app.app, { language: 'en', answers: SPANISH_RESIDENT });
    const id = await complaintId(filed.trackingNumber);
    const asked = () =>
      request(app.app)
        .post('/api/v1/status')
        .set('X-Forwarded-For', '192.0.2.77')
        .send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode })
        .expect(200);
    expect((await asked()).body.nextStep.targetDate).to.match(/^\d{4}-/);
    await database.db
      .updateTable('deadlines')
      .set({ status: 'breached', completed_at: new Date() })
      .where('complaint_id', '=', id)
      .where('kind', '=', 'acknowledge')
      .execute();
    expect((await asked()).body.nextStep?.targetDate ?? null).to.equal(null);
  });

  it('answers an unknown number and a wrong code identically', async () => {
    const wrongCode = await lookup(browser(), spanish.trackingNumber, 'AAAA-BBBB-CCCC-DDDD');
    const unknown = await lookup(browser(), 'OC-2222-2222', 'AAAA-BBBB-CCCC-DDDD');
    expect(wrongCode.status).to.equal(404);
    expect(unknown.status).to.equal(404);
    const strip = (html: string) => html.replace(/OC-[0-9A-Z]{4}-[0-9A-Z]{4}/g, 'OC-XXXX-XXXX');
    expect(strip(wrongCode.text)).to.equal(strip(unknown.text));
    expect(wrongCode.text).not.to.include('AAAA-BBBB'); // the code typed is never sent back
    expect(Object.keys(wrongCode.headers).sort()).to.deep.equal(Object.keys(unknown.headers).sort());
  });

  it('is POST only: a GET with the codes in the address does not look anything up', async () => {
    const page = await request(app.app).get(
      `/status?trackingNumber=${spanish.trackingNumber}&accessCode=${spanish.accessCode}`,
    );
    expect(page.status).to.equal(200);
    expect(page.text).not.to.include('Recibida');
    expect(page.headers['set-cookie']).to.equal(undefined);
  });

  it('locks a client out of a number after five wrong codes, even with the right one; another client gets in (R7)', async () => {
    const guesser = browser();
    for (let i = 0; i < 5; i++) await lookup(guesser, spanish.trackingNumber, `WRONG-${i}`).expect(404);
    await lookup(guesser, spanish.trackingNumber, spanish.accessCode).expect(429);
    await lookup(browser(), spanish.trackingNumber, spanish.accessCode).redirects(1).expect(200);
    const rows = await database.db.selectFrom('rate_limits').selectAll().execute();
    // Numbers and addresses only as keyed hashes.
    expect(JSON.stringify(rows)).not.to.include('198.51.100.').and.not.to.include(spanish.trackingNumber);
  });

  it('slows a client that fails across numbers, but never refuses it the right code (R7)', async () => {
    const agent = browser();
    for (let i = 0; i < 21; i++)
      await lookup(
        agent,
        `OC-2222-${String(2222 + i)
          .slice(-4)
          .replace(/[01]/g, '3')}`,
        'X',
      ).expect(404);
    const started = Date.now();
    await lookup(agent, spanish.trackingNumber, spanish.accessCode).redirects(1).expect(200);
    expect(Date.now() - started).to.be.at.least(400); // two failures past the 20: 500 ms
  });

  it('judges guesses sent together against the limit: of 40 at once, five are checked (R7)', async () => {
    const guesser = browser();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => lookup(guesser, spanish.trackingNumber, `WRONG-${i}`)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 404)).to.have.length(5);
    expect(statuses.filter((status) => status === 429)).to.have.length(35);
  });

  it('the API answers the same: 200, or 404 for an unknown number and a wrong code alike', async () => {
    const ok = await request(app.app)
      .post('/api/v1/status')
      .set('X-Forwarded-For', '192.0.2.1')
      .set('Accept-Language', 'es')
      .send({ trackingNumber: spanish.trackingNumber, accessCode: spanish.accessCode })
      .expect(200);
    expect(ok.body).to.include({ trackingNumber: spanish.trackingNumber, stage: 'received', stageName: 'Recibida' });
    expect(ok.body.history).to.have.length(1);
    expect(ok.body.nextStep.targetDate).to.match(/^\d{4}-\d{2}-\d{2}T/);
    const wrong = await request(app.app)
      .post('/api/v1/status')
      .send({ trackingNumber: spanish.trackingNumber, accessCode: 'NOPE' });
    const unknown = await request(app.app)
      .post('/api/v1/status')
      .send({ trackingNumber: 'OC-3333-3333', accessCode: 'NOPE' });
    expect([wrong.status, unknown.status]).to.deep.equal([404, 404]);
    // The one problem shape carries each request's own id; everything else is the same.
    const withoutRequestId = (body: { error: { requestId: string } }) => ({ error: { ...body.error, requestId: '' } });
    expect(withoutRequestId(wrong.body)).to.deep.equal(withoutRequestId(unknown.body));
    await request(app.app).post('/api/v1/status').send({ trackingNumber: 'x', accessCode: 'y', extra: 1 }).expect(400);
  });

  it('shows a calendar day as that day, and one acknowledgement day on receipt, status and case pages (#17)', async () => {
    // 2026-11-26 read as an instant (UTC midnight) is November 25 in the agency's zone, west of UTC.
    const incident = { ...NAMED_ANSWERS['when-where'], incidentDate: '2026-11-26' };
    const staff = await signIn(app.app, await createStaff(database.db, ['supervisor']));
    const zone = app.config.agencyTimeZone;
    expect(new Date(`${incident.incidentDate}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: zone })).to.equal(
      '11/25/2026',
    );
    const shown = { en: 'November 26, 2026', es: '26 de noviembre de 2026' } as const;
    const ackPatterns = { en: /received your complaint by ([^.<]+)\./, es: /a más tardar el ([^.<]+)\./ };
    const targetPatterns = { en: /Target date: ([^.<]+)\./, es: /Fecha prevista: ([^.<]+)\./ };
    for (const language of ['en', 'es'] as const) {
      const agent = browser();
      const csrf = await startForm(agent, language);
      for (const [step, fields] of Object.entries({ ...NAMED_ANSWERS, 'when-where': incident })) {
        await agent
          .post(`/complaint/${step}`)
          .type('form')
          .send({ _csrf: csrf, ...fields, action: 'continue' })
          .expect(303);
      }
      const check = await agent.get('/complaint/check').expect(200);
      expect(check.text, `check your answers (${language})`).to.contain(shown[language]);
      await agent
        .post('/complaint/check')
        .type('form')
        .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
        .expect(303);
      const receipt = await agent.get('/complaint/receipt').expect(200);
      const { trackingNumber, accessCode } = receiptCodes(receipt.text);
      const id = await complaintId(trackingNumber);
      const clock = await database.db
        .selectFrom('deadlines')
        .select('due_at')
        .where('complaint_id', '=', id)
        .where('kind', '=', 'acknowledge')
        .executeTakeFirstOrThrow();
      // The last day of the clock, a business day: not the midnight after it (a Saturday after a Friday).
      const lastDay = lastDayOf(clock.due_at, zone);
      expect([0, 6]).not.to.include(new Date(`${lastDay}T12:00:00Z`).getUTCDay());
      const ackBy = formatDay(lastDay, language);

      expect(ackPatterns[language].exec(receipt.text)?.[1], `receipt (${language})`).to.equal(ackBy);
      const status = await lookup(browser().set('Accept-Language', language), trackingNumber, accessCode)
        .redirects(1)
        .expect(200);
      expect(targetPatterns[language].exec(status.text)?.[1], `status page (${language})`).to.equal(ackBy);
      const caseFile = await staff.get(`/staff/cases/${id}?lang=${language}`).expect(200);
      expect(caseFile.text, `staff case page (${language})`).to.contain(shown[language]);
      const staffDue = new RegExp(
        `>${language === 'es' ? 'Acusar recibo de la queja' : 'Acknowledge the complaint'}</th>\\s*<td[^>]*>([^<]+)</td>`,
      );
      expect(staffDue.exec(caseFile.text)?.[1], `staff deadline (${language})`).to.equal(ackBy);
    }
  });

  describe('after a lookup', () => {
    const opened = async (who: { trackingNumber: string; accessCode: string }) => {
      const agent = browser();
      await lookup(agent, who.trackingNumber, who.accessCode).redirects(1).expect(200);
      return agent;
    };

    it('adds information (text and a file): a workflow event, audited, the investigator told', async () => {
      const agent = await opened(spanish);
      const form = await agent.get('/status/add-information').expect(200);
      await agent
        .post('/status/add-information')
        .field('_csrf', csrfOf(form.text))
        .field('information', 'Encontré un video del incidente.')
        .attach('evidence', pdf(), 'statement.pdf')
        .expect(303)
        .expect('Location', '/status/case?done=information');
      const id = await complaintId(spanish.trackingNumber);
      const notes = await database.db
        .selectFrom('notes')
        .select(['kind', 'body'])
        .where('complaint_id', '=', id)
        .execute();
      expect(notes).to.deep.equal([{ kind: 'complainant_update', body: 'Encontré un video del incidente.' }]);
      const files = await database.db
        .selectFrom('attachments')
        .select('original_name')
        .where('complaint_id', '=', id)
        .execute();
      expect(files.map((f) => f.original_name)).to.deep.equal(['statement.pdf']);
      const events = await database.db
        .selectFrom('audit_events')
        .select(['event_type', 'details'])
        .where('object_id', '=', id)
        .execute();
      expect(events.map((e) => (e.details as { event?: string }).event)).to.include('ADD_INFORMATION');
      expect(events.map((e) => e.event_type)).to.include('evidence.upload');
      const page = await agent.get('/status/case?done=information').expect(200);
      expect(page.text).to.include('usa-alert--success');
    });

    it('refuses empty information and a form without its token', async () => {
      const agent = await opened(spanish);
      const form = await agent.get('/status/add-information');
      await agent
        .post('/status/add-information')
        .type('form')
        .send({ _csrf: csrfOf(form.text), information: '' })
        .expect(400);
      await agent.post('/status/add-information').type('form').send({ information: 'no token' }).expect(403);
      await agent.post('/status/withdraw').type('form').send({}).expect(403);
    });

    it('updates contact details; the next email goes to the new address, in the chosen language', async () => {
      const named = await fileThroughForm(app.app);
      const agent = await opened(named);
      const form = await agent.get('/status/contact').expect(200);
      expect(form.text).to.include('ana@example.com');
      await agent
        .post('/status/contact')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email: 'bad', preferredLanguage: 'es', preferredContact: 'email' })
        .expect(400);
      await agent
        .post('/status/contact')
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          email: 'new@example.com',
          preferredLanguage: 'es',
          preferredContact: 'email',
        })
        .expect(303);
      const id = await complaintId(named.trackingNumber);
      await app.services.outbox.runOnce();
      peer.received = [];
      await app.services.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, SUPERVISOR);
      await app.services.outbox.runOnce();
      expect(peer.received.map((m) => m.to[0])).to.deep.equal(['new@example.com']);
      expect(readableMail(peer.received[0]!.raw)).to.include('En revisión');
    });

    it('withdraws only after a confirmation step; the case closes and the resident is told in Spanish', async () => {
      const agent = await opened(spanish);
      const confirm = await agent.get('/status/withdraw').expect(200);
      expect(confirm.text).to.include('<form');
      const id = await complaintId(spanish.trackingNumber);
      expect(
        (await database.db.selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow())
          .state,
      ).to.equal('intake.received');
      await agent
        .post('/status/withdraw')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(303);
      const row = await database.db
        .selectFrom('complaints')
        .select(['state', 'outcome'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ state: 'closed', outcome: 'withdrawn' });
      await app.services.outbox.runOnce();
      const mail = readableMail(peer.received.find((m) => m.to.includes('lucia@example.com'))!.raw);
      expect(mail).to.include('Cerrada');
      const page = await agent.get('/status/case?lang=es').expect(200);
      expect(page.text).to.include('Cerrada');
      // Withdrawing twice is refused as a page, not an error.
      await agent
        .post('/status/withdraw')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(409);
    });

    it('shows findings in plain words once decided, with no discipline and no staff names', async () => {
      const named = await fileThroughForm(app.app);
      const id = await complaintId(named.trackingNumber);
      const system: Actor = { kind: 'system' };
      for (const type of [
        'BEGIN_TRIAGE',
        'ACCEPT',
        'ASSIGN',
        'BEGIN_INVESTIGATION',
        'DRAFT_FINDINGS',
        'SUBMIT_FINDINGS',
        'OPEN_VOTING',
      ] as const) {
        await app.services.workflow.dispatch(
          id,
          type === 'ASSIGN' ? { type, investigatorId: SUPERVISOR.kind === 'staff' ? SUPERVISOR.userId : '' } : { type },
          SUPERVISOR,
        );
      }
      await app.services.workflow.dispatch(
        id,
        { type: 'BOARD_DECIDED', reconsiderationUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        system,
        {
          within: async (trx) => {
            await trx
              .updateTable('allegations')
              .set({ finding: 'sustained', discipline_recommendation: 'SECRET-DISCIPLINE' })
              .where('complaint_id', '=', id)
              .execute();
          },
        },
      );
      const agent = await opened(named);
      const page = await agent.get('/status/case').expect(200);
      expect(page.text).to.include('Sustained: the evidence showed');
      expect(page.text).not.to.include('SECRET-DISCIPLINE');
      expect(page.text).to.include('/status/reconsideration');
      const form = await agent.get('/status/reconsideration').expect(200);
      await agent
        .post('/status/reconsideration')
        .type('form')
        .send({ _csrf: csrfOf(form.text) })
        .expect(303);
      const row = await database.db
        .selectFrom('complaints')
        .select('stage')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.stage).to.equal('boardReview');
    });

    it('the case pass is for one case and expires; without it every case page goes to the lookup', async () => {
      for (const path of ['/status/case', '/status/add-information', '/status/contact', '/status/withdraw']) {
        await request(app.app).get(path).expect(303).expect('Location', '/status');
      }
      const forged = `oc_case=${await complaintId(spanish.trackingNumber)}.${Date.now() + 60_000}.forged`;
      await request(app.app).get('/status/case').set('Cookie', forged).expect(303);
      const agent = await opened(spanish);
      const casePage = await agent.get('/status/case').expect(200);
      // Signing out is asked on its own page now (#17): its form carries the token.
      expect(casePage.text).to.include('href="/status/sign-out"');
      const confirm = await agent.get('/status/sign-out').expect(200);
      await agent
        .post('/status/sign-out')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(303);
      await agent.get('/status/case').expect(303);
    });

    it('answers the lookup with 303 to the case page, a GET read from the pass: Back never resubmits (#17)', async () => {
      const named = await fileThroughForm(app.app);
      const agent = browser();
      // A wrong code is still the form again with its error, not a redirect.
      const wrong = await lookup(agent, named.trackingNumber, 'AAAA-BBBB-CCCC-DDDD').expect(404);
      expect(wrong.headers['location']).to.equal(undefined);
      expect(wrong.headers['set-cookie']).to.equal(undefined);
      const posted = await lookup(agent, named.trackingNumber, named.accessCode).expect(303);
      expect(posted.headers['location']).to.equal('/status/case');
      expect(posted.headers['set-cookie']?.[0]).to.match(/^oc_case=[^;]+; Max-Age=900; Path=\/status; .*HttpOnly/);
      const count = async () => ({
        audit: (await database.db.selectFrom('audit_events').select('id').execute()).length,
        attempts: await database.db.selectFrom('rate_limits').selectAll().execute(),
      });
      const before = await count();
      const first = await agent.get('/status/case?lang=en').expect(200);
      expect(first.text).to.include(named.trackingNumber).and.to.include('Received');
      // A follow-up page, then Back: the same case page again, and nothing changed on the way.
      await agent.get('/status/add-information').expect(200);
      const back = await agent.get('/status/case').expect(200);
      expect(back.text).to.equal(first.text);
      expect(await count()).to.deep.equal(before);
    });

    it('an expired or missing pass sends the resident to the lookup form, which says why once, in their language (#17)', async () => {
      const id = await complaintId(spanish.trackingNumber);
      const ended = issueCaseToken(app.services.keys, id, new Date(Date.now() - CASE_SESSION_MS - 1000));
      const agent = browser().set('Cookie', `oc_case=${ended}`);
      await agent.get('/status/case').expect(303).expect('Location', '/status');
      const form = await agent.get('/status?lang=en').expect(200);
      expect(form.text).to.include('Look up your complaint again').and.to.include('name="trackingNumber"');
      expect((await agent.get('/status').expect(200)).text).not.to.include('Look up your complaint again');
      const spanishBrowser = browser();
      await spanishBrowser.get('/status/withdraw?lang=es').expect(303).expect('Location', '/status');
      const spanishForm = await spanishBrowser.get('/status').expect(200);
      expect(spanishForm.text).to.include('Vuelva a consultar su queja');
    });

    for (const [language, text] of [
      ['en', { link: 'Sign out of this complaint', done: 'You are signed out of your complaint' }],
      ['es', { link: 'Cerrar la sesión de esta queja', done: 'Cerró la sesión de su queja' }],
    ] as const) {
      it(`signs out only after a confirmation, then says so and how to look the case up again (${language}, #17)`, async () => {
        const filed = await request(app.app)
          .post('/api/v1/complaints')
          .send({ language, narrative: 'Signing out.', about: { filing: 'anonymous' }, consent: true, truthful: true })
          .expect(201);
        const agent = browser().set('Accept-Language', language);
        await lookup(agent, filed.body.trackingNumber, filed.body.accessCode).redirects(1).expect(200);
        const casePage = await agent.get('/status/case').expect(200);
        expect(casePage.text).to.include(text.link).and.not.to.include('Close this complaint');
        // A link near the top to a page that asks, far from Withdraw; no sign-out button on the case page.
        expect(casePage.text).not.to.include('action="/status/sign-out"');
        expect(casePage.text.indexOf('href="/status/sign-out"')).to.be.within(
          0,
          casePage.text.indexOf('href="/status/withdraw"'),
        );
        const confirm = await agent.get('/status/sign-out').expect(200);
        expect(confirm.text).to.include('action="/status/sign-out"').and.to.include('href="/status/case"');
        await agent.get('/status/case').expect(200); // asking signed nobody out
        await agent
          .post('/status/sign-out')
          .type('form')
          .send({ _csrf: csrfOf(confirm.text) })
          .expect(303)
          .expect('Location', '/status/signed-out');
        const done = await agent.get('/status/signed-out').expect(200);
        expect(done.text).to.include(text.done).and.to.include('href="/status"');
        await agent.get('/status/case').expect(303).expect('Location', '/status');
      });
    }
  });
});
