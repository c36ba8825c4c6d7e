import { expect } from 'chai';
import { sql } from 'kysely';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import {
  errorsOf,
  fileThroughForm,
  NAMED_ANSWERS,
  readableMail,
  receiptCodes,
  SPANISH_RESIDENT,
  startForm,
} from '../support/resident.js';
import { SmtpPeer } from '../support/smtpPeer.js';

describe('residents file a complaint through the form (no JavaScript)', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  let app: ReturnType<typeof testApp>;

  before(async () => {
    await peer.start();
    app = testApp(database.handle, { config: testConfig({ SMTP_URL: peer.url }) });
  });
  after(() => peer.stop());
  beforeEach(async () => {
    await app.services.outbox.runOnce(); // what earlier tests queued
    peer.received = [];
  });

  const complaintByNumber = (trackingNumber: string) =>
    database.db
      .selectFrom('complaints')
      .selectAll()
      .where('tracking_number', '=', trackingNumber)
      .executeTakeFirstOrThrow();

  it('files a named complaint in English: every step saved, a receipt, the complaint and its parts stored', async () => {
    const { trackingNumber, accessCode } = await fileThroughForm(app.app);
    expect(trackingNumber).to.match(/^OC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(accessCode).to.match(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}$/);
    const complaint = await complaintByNumber(trackingNumber);
    expect(complaint).to.include({ language: 'en', channel: 'web', anonymous: false, state: 'intake.received' });
    expect(complaint.incident_location).to.equal('Main St and 3rd Ave');
    expect(complaint.access_code_hash).to.match(/^h1:[0-9a-f]{64}$/);
    expect(complaint.access_code_hash).not.to.include(accessCode);
    const people = await database.db
      .selectFrom('complainants')
      .selectAll()
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(people).to.have.length(1);
    expect(people[0]).to.include({ role: 'complainant', name: 'Ana Resident', email: 'ana@example.com' });
    expect(people[0]!.demographics).to.deep.equal({ ageRange: '25_34', races: ['hispanic'] });
    const allegations = await database.db
      .selectFrom('allegations')
      .select('category')
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(allegations.map((a) => a.category).sort()).to.deep.equal(['discourtesy', 'force']);
    const officers = await database.db
      .selectFrom('reported_officers')
      .selectAll()
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(officers).to.have.length(1);
    expect(officers[0]).to.include({ name: 'Officer Smith', badge_number: '4471' });
    const witnesses = await database.db
      .selectFrom('witnesses')
      .selectAll()
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(witnesses[0]).to.include({ name: 'Maria Lopez' });
    const drafts = await database.db.selectFrom('complaint_drafts').selectAll().execute();
    expect(drafts, 'the draft goes with the submission').to.have.length(0);
  });

  it('files in Spanish and the receipt email, read from a real SMTP server, is in Spanish', async () => {
    const { trackingNumber } = await fileThroughForm(app.app, {
      language: 'es',
      answers: SPANISH_RESIDENT,
    });
    const complaint = await complaintByNumber(trackingNumber);
    expect(complaint.language).to.equal('es');
    expect(await app.services.outbox.runOnce()).to.include({ sent: 1 });
    expect(peer.received).to.have.length(1);
    expect(peer.received[0]!.to).to.deep.equal(['lucia@example.com']);
    const mail = readableMail(peer.received[0]!.raw);
    expect(mail).to.include(`Recibimos su queja ${trackingNumber}`);
    expect(mail).to.include('número de seguimiento');
    expect(mail).not.to.match(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/); // never the access code
  });

  it('an anonymous complaint keeps nothing identifying: no person, no IP address, no user agent (R17)', async () => {
    const agent = request.agent(app.app);
    const canaries = { ua: 'CanaryBrowser/9.9 (unique-ua-4711)', ip: '203.0.113.77', name: 'Canary Name Zebra' };
    agent.set('User-Agent', canaries.ua).set('X-Forwarded-For', canaries.ip);
    const { trackingNumber, csrf, html } = await fileThroughForm(app.app, {
      agent,
      answers: {
        'about-you': {
          filing: 'anonymous',
          name: canaries.name,
          email: 'canary@example.com',
          preferredContact: 'email',
        },
      },
    });
    // No receipt by email either: an address would tie the complaint to someone (#17 item 4).
    expect(html).not.to.include('action="/complaint/receipt/email"');
    expect(html).to.include('You filed anonymously, so we do not email this receipt');
    await agent
      .post('/complaint/receipt/email')
      .type('form')
      .send({ _csrf: csrf, email: 'canary@example.com' })
      .expect(404);
    const complaint = await complaintByNumber(trackingNumber);
    expect(complaint.anonymous).to.equal(true);
    const people = await database.db
      .selectFrom('complainants')
      .selectAll()
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(people).to.deep.equal([]);
    // Search every table that could hold request metadata or the complaint's data.
    for (const table of [
      'complaints',
      'complainants',
      'audit_events',
      'outbox',
      'complaint_drafts',
      'rate_limits',
      'notes',
      'attachments',
    ]) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
      const dump = JSON.stringify(rows);
      for (const canary of Object.values(canaries)) expect(dump, `${table} holds ${canary}`).not.to.include(canary);
      expect(dump).not.to.include('canary@example.com');
    }
    expect(await app.services.outbox.runOnce()).to.include({ sent: 0 });
  });

  it('files for someone else: the filer and the person affected are both kept, with the relationship', async () => {
    const { trackingNumber } = await fileThroughForm(app.app, {
      answers: {
        'about-you': {
          filing: 'someone_else',
          name: 'Rosa Filer',
          email: 'rosa@example.com',
          preferredContact: 'email',
          relationship: 'Mother',
          theirName: 'Leo Affected',
        },
      },
    });
    const complaint = await complaintByNumber(trackingNumber);
    expect(complaint.on_behalf).to.equal(true);
    const people = await database.db
      .selectFrom('complainants')
      .select(['role', 'name', 'relationship', 'email'])
      .where('complaint_id', '=', complaint.id)
      .orderBy('role')
      .execute();
    expect(people).to.deep.equal([
      { role: 'complainant', name: 'Leo Affected', relationship: null, email: null },
      { role: 'filer', name: 'Rosa Filer', relationship: 'Mother', email: 'rosa@example.com' },
    ]);
    // The receipt goes to whoever filed, since the person affected gave no email.
    await app.services.outbox.runOnce();
    expect(peer.received.map((m) => m.to[0])).to.deep.equal(['rosa@example.com']);
  });

  describe('validation: each error in the chosen language, linked from the summary, nothing saved', () => {
    const cases: Array<{
      step: string;
      fields: Record<string, string | string[]>;
      field: string;
      en: RegExp;
      es: RegExp;
    }> = [
      { step: 'what', fields: { narrative: '   ' }, field: 'narrative', en: /Tell us what happened/, es: /Cuéntenos/ },
      {
        step: 'what',
        fields: { narrative: 'x'.repeat(20_001) },
        field: 'narrative',
        en: /Shorten what happened to 20,000 characters or fewer/,
        es: /Acorte lo que pasó a 20,000 caracteres o menos/,
      },
      {
        step: 'what',
        fields: { narrative: 'ok', surprise: 'field' },
        field: 'surprise',
        en: /field we do not accept/,
        es: /campo/,
      },
      {
        step: 'when-where',
        fields: { incidentDate: '2099-01-01' },
        field: 'incidentDate',
        en: /cannot be in the future/,
        es: /futur/,
      },
      {
        step: 'when-where',
        fields: { incidentDate: '2026-02-30' },
        field: 'incidentDate',
        en: /real date/,
        es: /fecha/,
      },
      {
        step: 'when-where',
        fields: { incidentTime: 't'.repeat(41) },
        field: 'incidentTime',
        en: /40 characters/,
        es: /40/,
      },
      {
        step: 'officers',
        fields: { officerName: 'n'.repeat(201) },
        field: 'officerName',
        en: /200 characters/,
        es: /200/,
      },
      {
        step: 'witnesses',
        fields: { witnessContact: 'c'.repeat(301) },
        field: 'witnessContact',
        en: /300 characters/,
        es: /300/,
      },
      {
        step: 'kind',
        fields: { categories: Array.from({ length: 21 }, (_, i) => `c${i}`) },
        field: 'categories',
        en: /./,
        es: /./,
      },
      { step: 'about-you', fields: {}, field: 'filing', en: /Choose who is filing/, es: /./ },
      { step: 'about-you', fields: { filing: 'self' }, field: 'name', en: /Enter your name/, es: /nombre/ },
      {
        step: 'about-you',
        fields: { filing: 'self', name: 'A', preferredContact: 'email' },
        field: 'email',
        en: /Enter an email address/,
        es: /correo/,
      },
      {
        step: 'about-you',
        fields: { filing: 'self', name: 'A', email: 'not-an-email' },
        field: 'email',
        en: /name@example.com/,
        es: /correo/,
      },
      {
        step: 'about-you',
        fields: { filing: 'self', name: 'A', phone: 'call me' },
        field: 'phone',
        en: /phone number/,
        es: /teléfono/,
      },
      {
        step: 'about-you',
        fields: { filing: 'someone_else', name: 'A' },
        field: 'relationship',
        en: /relationship/,
        es: /./,
      },
      { step: 'about-you', fields: { filing: 'nobody' }, field: 'filing', en: /Choose who is filing/, es: /./ },
      { step: 'demographics', fields: { ageRange: '200' }, field: 'ageRange', en: /Choose one/, es: /./ },
      { step: 'check', fields: { truthful: 'yes' }, field: 'consent', en: /Agree to the use/, es: /./ },
      {
        step: 'check',
        fields: { consent: 'yes' },
        field: 'truthful',
        en: /Confirm that what you told us is true/,
        es: /./,
      },
    ];
    for (const language of ['en', 'es'] as const) {
      for (const c of cases) {
        it(`${c.step}: ${c.field} (${language})`, async () => {
          const agent = request.agent(app.app);
          const csrf = await startForm(agent, language);
          const before = await agent.get('/complaint/check');
          const page = await agent
            .post(`/complaint/${c.step}`)
            .type('form')
            .send({ _csrf: csrf, ...c.fields })
            .expect(400);
          expect(page.text).to.include(`href="#field-${c.field}"`);
          expect(page.text).to.include('id="error-summary"');
          const shown =
            errorsOf(page.text).join(' ') +
            page.text.slice(page.text.indexOf('error-summary'), page.text.indexOf('error-summary') + 2000);
          expect(shown).to.match(language === 'en' ? c.en : c.es);
          expect(page.text).to.include(`<html lang="${language}">`);
          const after = await agent.get('/complaint/check');
          expect(after.text, 'nothing saved').to.equal(before.text);
        });
      }
    }
  });

  it('refuses a district or category that is not on the agency list, on the check page', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: 'Happened' }).expect(303);
    await agent.post('/complaint/when-where').type('form').send({ _csrf: csrf, district: 'atlantis' }).expect(303);
    await agent.post('/complaint/about-you').type('form').send({ _csrf: csrf, filing: 'anonymous' }).expect(303);
    const page = await agent
      .post('/complaint/check')
      .type('form')
      .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
      .expect(400);
    expect(page.text).to.include('href="#field-district"');
    const count = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const again = await agent
      .post('/complaint/check')
      .type('form')
      .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
      .expect(400);
    expect(again.status).to.equal(400);
    const countAfter = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(countAfter.n)).to.equal(Number(count.n));
  });

  it('the check page sends back to a step that is missing: narrative and who is filing', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    const page = await agent
      .post('/complaint/check')
      .type('form')
      .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
      .expect(200);
    expect(page.text).to.include('href="#field-narrative"');
    expect(page.text).to.include('href="#field-about"');
  });

  describe('the check page shows every answer, in the reader’s language (#17 item 7)', () => {
    /** The check page's answers, by question: each a text, or a list's items joined by ' | '. */
    const answersOf = (html: string) =>
      Object.fromEntries(
        [
          ...html.matchAll(
            /<dt class="app-check-answers__key">([^<]*)<\/dt>\s*<dd class="app-check-answers__value[^"]*">([\s\S]*?)<\/dd>/g,
          ),
        ].map((m) => [
          m[1]!.replace(/&#39;/g, "'"),
          m[2]!
            .replace(/<\/li><li>/g, ' | ')
            .replace(/<[^>]*>/g, '')
            .replace(/&#39;/g, "'")
            .trim(),
        ]),
      );
    const cases = [
      {
        language: 'en',
        expected: {
          Date: 'October 1, 2026',
          'What kind of misconduct?': 'Use of force | Discourtesy',
          'Mailing address': '12 Elm Street\nApartment 4',
          'How should we contact you?': 'Letter by mail',
          'Which language should we use with you?': 'Español (Spanish)',
          Age: '25 to 34',
          Gender: 'Woman',
          'Race or ethnicity': 'Hispanic or Latino | White',
          'Officers involved': 'Officer Smith · Badge number 4471 · Tall, moustache',
          Witnesses: 'Maria Lopez · 555-0100 · Saw the push',
        },
      },
      {
        language: 'es',
        expected: {
          Fecha: '1 de octubre de 2026',
          '¿Qué tipo de mala conducta?': 'Uso de la fuerza | Descortesía',
          'Dirección postal': '12 Elm Street\nApartment 4',
          '¿Cómo quiere que nos comuniquemos con usted?': 'Carta por correo',
          Edad: 'De 25 a 34',
          Género: 'Mujer',
          'Raza u origen étnico': 'Hispano o latino | Blanco',
        },
      },
    ] as const;
    for (const c of cases) {
      it(`the date as a day, the categories as a list, address, contact preference and demographics (${c.language})`, async () => {
        const agent = request.agent(app.app);
        const csrf = await startForm(agent, c.language);
        const answers = {
          ...NAMED_ANSWERS,
          'about-you': {
            ...NAMED_ANSWERS['about-you']!,
            address: '12 Elm Street\r\nApartment 4',
            preferredContact: 'mail',
            preferredLanguage: 'es',
          },
          demographics: { ageRange: '25_34', gender: 'woman', races: ['hispanic', 'white'] },
        };
        for (const [step, fields] of Object.entries(answers)) {
          await agent
            .post(`/complaint/${step}`)
            .type('form')
            .send({ _csrf: csrf, ...fields, action: 'continue' })
            .expect(303);
        }
        const page = await agent.get('/complaint/check').expect(200);
        expect(page.text).to.include(`<html lang="${c.language}">`);
        const shown = answersOf(page.text);
        for (const [question, answer] of Object.entries(c.expected)) {
          expect(shown[question]?.replace(/\r\n/g, '\n'), question).to.equal(answer);
        }
        expect(page.text, 'no day written as the form posts it').not.to.include('2026-10-01');
        expect(page.text, 'no list run together with semicolons').not.to.match(/;\s*<\/dd>|;\s*;/);
        // Each answer links to its step, at the field, and the error summary's anchors are on those links.
        expect(page.text).to.include(
          'href="/complaint/demographics?from=check#field-gender" id="field-demographics-gender"',
        );
        expect(page.text).to.include('href="/complaint/about-you?from=check#field-address" id="field-about-address"');
      });
    }
  });

  describe('what the form says is what it does, in the reader’s language (#17 item 11)', () => {
    const overLimit = 'Esto es lo que pasó. '.repeat(953).trim(); // 20,012 characters
    const cases = [
      {
        language: 'en',
        error: /^Shorten what happened to 20,000 characters or fewer\./,
        limit: 'You can enter up to 20,000 characters.',
        left: 'data-text-left-other="{n} characters left"',
        drag: 'data-text-drag="Drag files here or"',
        required: 'You must answer two questions: what happened, and who is filing',
      },
      {
        language: 'es',
        error: /^Acorte lo que pasó a 20,000 caracteres o menos\./,
        limit: 'Puede escribir hasta 20,000 caracteres.',
        left: 'data-text-left-other="Quedan {n} caracteres"',
        drag: 'data-text-drag="Arrastre los archivos aquí o"',
        required: 'Debe responder dos preguntas: qué pasó y quién presenta la queja',
      },
    ] as const;
    for (const c of cases) {
      it(`a narrative over 20,000 characters is refused, never cut: no maxlength, a counter, the text kept (${c.language})`, async () => {
        expect(overLimit).to.have.length(20_012);
        const agent = request.agent(app.app);
        const csrf = await startForm(agent, c.language);
        const page = await agent.get('/complaint/what').expect(200);
        const textarea = /<textarea[^>]*id="field-narrative"[^>]*>/.exec(page.text)![0];
        expect(textarea, 'no maxlength to cut a paste short').not.to.include('maxlength');
        expect(page.text).to.include('<div class="usa-character-count" data-maxlength="20000"');
        expect(page.text).to.include(c.limit).and.include(c.left);
        const refused = await agent
          .post('/complaint/what')
          .type('form')
          .send({ _csrf: csrf, narrative: overLimit, action: 'continue' })
          .expect(400);
        expect(errorsOf(refused.text)[0]).to.match(c.error);
        expect(refused.text, 'the whole text comes back to shorten').to.include(`>${overLimit}</textarea>`);
        const exactly = 'x'.repeat(20_000);
        await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: exactly }).expect(303);
      });

      it(`the file input carries the catalogue's texts for USWDS's drop zone (${c.language})`, async () => {
        const agent = request.agent(app.app);
        await startForm(agent, c.language);
        const page = await agent.get('/complaint/evidence').expect(200);
        expect(page.text).to.include('class="usa-file-input" id="field-evidence"').and.include(c.drag);
      });

      it(`the incident date gives no format of its own beside the browser's date picker (${c.language})`, async () => {
        const agent = request.agent(app.app);
        await startForm(agent, c.language);
        const page = await agent.get('/complaint/when-where').expect(200);
        const input = /<input[^>]*id="field-incidentDate"[^>]*>/.exec(page.text)![0];
        expect(input).to.include('type="date"').and.not.include('aria-describedby');
        expect(page.text).not.to.match(/\d{4}-\d{2}-\d{2}/);
      });

      it(`the start page names the two answers the form requires, and no more are (${c.language})`, async () => {
        const start = await request(app.app).get(`/complaint?lang=${c.language}`).expect(200);
        expect(start.text).to.include(c.required);
        expect(start.text).not.to.match(/Only the first question|Solo la primera pregunta/);
        const agent = request.agent(app.app);
        const csrf = await startForm(agent, c.language);
        await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: 'Only this.' }).expect(303);
        await agent.post('/complaint/about-you').type('form').send({ _csrf: csrf, filing: 'anonymous' }).expect(303);
        await agent
          .post('/complaint/check')
          .type('form')
          .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
          .expect(303)
          .expect('location', '/complaint/receipt');
      });
    }
  });

  it('refuses a form without its token (R13) and a step without a draft goes back to the start', async () => {
    const agent = request.agent(app.app);
    await startForm(agent);
    await agent.post('/complaint/what').type('form').send({ narrative: 'No token' }).expect(403);
    await agent
      .post('/complaint/what')
      .type('form')
      .send({ narrative: 'Bad token', _csrf: 'x'.repeat(43) })
      .expect(403);
    const fresh = request.agent(app.app);
    await fresh.get('/complaint/what').expect(303).expect('Location', '/complaint');
    await fresh
      .post('/complaint/what')
      .type('form')
      .send({ narrative: 'x' })
      .expect(303)
      .expect('Location', '/complaint');
    await request(app.app).get('/complaint/nothing-here').expect(404);
  });

  it('adds and removes officers and witnesses one at a time, without JavaScript', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    await agent
      .post('/complaint/officers')
      .type('form')
      .send({ _csrf: csrf, officerName: 'First', action: 'add' })
      .expect(303)
      .expect('Location', '/complaint/officers');
    await agent
      .post('/complaint/officers')
      .type('form')
      .send({ _csrf: csrf, officerBadge: '99', action: 'add' })
      .expect(303);
    let page = await agent.get('/complaint/officers');
    expect(page.text).to.include('First').and.to.include('99');
    await agent.post('/complaint/officers').type('form').send({ _csrf: csrf, action: 'remove:0' }).expect(303);
    page = await agent.get('/complaint/officers');
    expect(page.text).not.to.include('First');
    expect(page.text).to.include('99');
  });

  it('a double submit files one complaint and sends one email (R23)', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: 'Twice' }).expect(303);
    await agent
      .post('/complaint/about-you')
      .type('form')
      .send({ _csrf: csrf, filing: 'self', name: 'Double', email: 'double@example.com', preferredContact: 'email' })
      .expect(303);
    const send = () =>
      agent.post('/complaint/check').type('form').send({ _csrf: csrf, consent: 'yes', truthful: 'yes' });
    const answers = await Promise.all([send(), send(), send()]);
    for (const answer of answers) expect(answer.headers['location']).to.equal('/complaint/receipt');
    const again = await send();
    expect(again.headers['location']).to.equal('/complaint/receipt');
    const filed = await database.db.selectFrom('complaints').select('id').where('narrative', '=', 'Twice').execute();
    expect(filed).to.have.length(1);
    await app.services.outbox.runOnce();
    expect(peer.received.filter((m) => m.to.includes('double@example.com'))).to.have.length(1);
    // The receipt with its access code is shown once; then the page says how to look the case up.
    const first = await agent.get('/complaint/receipt').expect(200);
    const code = receiptCodes(first.text).accessCode;
    expect(code).to.match(/^[0-9A-Z]{4}-/);
    const start = await agent.get('/complaint').expect(200);
    expect(start.text).not.to.contain('href="/complaint/receipt"');
    // The header's language switch on the receipt shows the same receipt in the other language.
    const spanish = await agent.get('/complaint/receipt?lang=es').expect(200);
    expect(spanish.text).to.contain('<html lang="es"');
    expect(receiptCodes(spanish.text).accessCode).to.equal(code);
    // Only for a few minutes: later, a switch meets the page that says how to look the case up.
    await database.db
      .updateTable('complaints')
      .set({ receipt_shown_at: new Date(Date.now() - 6 * 60_000) })
      .where('narrative', '=', 'Twice')
      .execute();
    const late = await agent.get('/complaint/receipt?lang=en').expect(200);
    expect(late.text).to.contain('Your receipt was shown once').and.not.to.contain(code);
    expect(late.text).to.contain('href="/status"').and.not.to.contain('id="tracking-number"');
    expect(late.text).not.to.contain('id="access-code"');
    expect(String(late.headers['set-cookie'])).to.match(/Expires=Thu, 01 Jan 1970/);
    await agent.get('/complaint/receipt').expect(303).expect('Location', '/complaint');
  });

  it('shows the receipt to one of two tabs asking at once, never to both', async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: 'Two tabs' }).expect(303);
    await agent.post('/complaint/about-you').type('form').send({ _csrf: csrf, filing: 'anonymous' }).expect(303);
    await agent
      .post('/complaint/check')
      .type('form')
      .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
      .expect(303);
    const pages = await Promise.all([agent.get('/complaint/receipt'), agent.get('/complaint/receipt')]);
    expect(pages.filter((page) => page.text.includes('id="access-code"'))).to.have.length(1);
  });

  describe('"Email me this receipt" on the receipt page (#17 item 4)', () => {
    const ACCESS_CODE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
    /** Files through the form and sends the filing's own receipt email, so only the copy is left. */
    const fileAndDrain = async (options: Parameters<typeof fileThroughForm>[1] = {}, on = app) => {
      const filed = await fileThroughForm(on.app, options);
      await on.services.outbox.runOnce();
      peer.received = [];
      return filed;
    };
    const sendCopy = (filed: { agent: ReturnType<typeof request.agent>; csrf: string }, email: string, query = '') =>
      filed.agent.post(`/complaint/receipt/email${query}`).type('form').send({ _csrf: filed.csrf, email });

    for (const c of [
      {
        language: 'English',
        answers: {},
        prefilled: 'ana@example.com',
        words: [
          /^Subject: Your receipt for complaint OC-/m,
          /Received on: [A-Z][a-z]+ \d{1,2}, \d{4}/,
          /received your complaint by [A-Z][a-z]+ \d{1,2}, \d{4}\./,
        ],
      },
      {
        // Filed on the English pages by a resident who asked for Spanish: the copy is in Spanish.
        language: 'Spanish',
        answers: SPANISH_RESIDENT,
        prefilled: 'lucia@example.com',
        words: [
          /^Subject: Su comprobante de la queja OC-/m,
          /Fecha de recepción: \d{1,2} de [a-z]+ de \d{4}/,
          /a más tardar el \d{1,2} de [a-z]+ de \d{4}\./,
        ],
      },
    ]) {
      it(`emails a copy in the complainant's language (${c.language}) with the tracking number, never the access code`, async () => {
        const filed = await fileAndDrain({ answers: c.answers });
        expect(filed.html).to.include('action="/complaint/receipt/email"');
        expect(/id="field-email"[^>]*value="([^"]*)"/.exec(filed.html)?.[1], 'prefilled').to.equal(c.prefilled);
        await sendCopy(filed, ' Copy.To@example.com ').expect(303).expect('Location', '/complaint/receipt/emailed');
        const sent = await filed.agent.get('/complaint/receipt/emailed').expect(200);
        expect(sent.text).to.include('Your receipt is on its way').and.not.include('Copy.To');
        expect(await app.services.outbox.runOnce()).to.include({ sent: 1 });
        expect(peer.received.map((m) => m.to)).to.deep.equal([['Copy.To@example.com']]);
        const mail = readableMail(peer.received[0]!.raw);
        expect(mail).to.include(filed.trackingNumber).and.include(`${app.config.publicBaseUrl}/status`);
        for (const word of c.words) expect(mail).to.match(word);
        // The day to acknowledge by is the one the (English) receipt page gave.
        const by = /received your complaint by ([^.<]+)\./.exec(filed.html)?.[1];
        if (c.language === 'English') expect(mail).to.include(`by ${by}.`);
        expect(mail).not.to.include(filed.accessCode).and.not.to.match(ACCESS_CODE);
        const queued = await database.db
          .selectFrom('outbox')
          .selectAll()
          .where('template', '=', 'receiptCopy')
          .execute();
        expect(JSON.stringify(queued)).not.to.include(filed.accessCode);
      });
    }

    it('refuses a bad address on its field, in the reader’s language, and a form without its token; sends nothing', async () => {
      const filed = await fileAndDrain();
      for (const [email, message] of [
        ['not-an-email', /name@example\.com/],
        ['', /Enter the email address to send the receipt to/],
        ['a@example.com\r\nBcc: b@example.com', /name@example\.com/],
      ] as const) {
        const page = await sendCopy(filed, email).expect(400);
        expect(page.text).to.include('href="#field-email"').and.include(filed.trackingNumber);
        expect(errorsOf(page.text).join(' ')).to.match(message);
        expect(page.text, 'never the access code again').not.to.include('id="access-code"');
        expect(page.text).not.to.include(filed.accessCode.slice(5));
      }
      const spanish = await sendCopy(filed, 'nadie', '?lang=es').expect(400);
      expect(errorsOf(spanish.text).join(' ')).to.match(/correo/);
      // The header's switch leads to the same form in the other language (a GET of its own).
      expect(spanish.text).to.include('href="/complaint/receipt/email?lang=en"');
      const english = await filed.agent.get('/complaint/receipt/email?lang=en').expect(200);
      expect(english.text).to.include('<html lang="en">').and.include('action="/complaint/receipt/email"');
      expect(english.text).to.include('value="ana@example.com"').and.not.include('id="access-code"');
      await filed.agent.post('/complaint/receipt/email').type('form').send({ email: 'ok@example.com' }).expect(403);
      // A browser with no receipt is sent to the receipt's own page, which says what to do.
      await request(app.app)
        .post('/complaint/receipt/email')
        .type('form')
        .send({ email: 'ok@example.com' })
        .expect(303)
        .expect('Location', '/complaint/receipt');
      expect(await app.services.outbox.runOnce()).to.include({ sent: 0 });
    });

    it('holds copies to the receipt quota, per address and per filing: a clear message, nothing sent', async () => {
      const limited = testApp(database.handle, {
        config: testConfig({ SMTP_URL: peer.url, RECEIPTS_PER_ADDRESS_PER_DAY: '2' }),
      });
      const filed = await fileAndDrain(
        { answers: { 'about-you': { ...NAMED_ANSWERS['about-you'], email: 'quota@example.com' } } },
        limited,
      );
      // The filing's own receipt was the first of the address's two today.
      await sendCopy(filed, 'quota@example.com').expect(303);
      const refused = await sendCopy(filed, 'QUOTA@example.com').expect(429);
      expect(errorsOf(refused.text).join(' ')).to.match(/already sent as many receipts as we can today/);
      expect(refused.text).to.include('href="#field-email"').and.include('value="QUOTA@example.com"');
      await sendCopy(filed, 'second@example.com').expect(303);
      const filingFull = await sendCopy(filed, 'third@example.com', '?lang=es').expect(429);
      expect(errorsOf(filingFull.text).join(' ')).to.match(/Hoy ya enviamos todos los comprobantes/);
      expect(await limited.services.outbox.runOnce()).to.include({ sent: 2 });
      expect(peer.received.map((m) => m.to[0])).to.deep.equal(['quota@example.com', 'second@example.com']);
    });
  });

  it("the header's language switch works on every step, and on a step with errors (#17 item 2)", async () => {
    const agent = request.agent(app.app);
    const csrf = await startForm(agent);
    /** The header's language links: each the same page in the other language. */
    const switchOf = (html: string) => {
      const nav = /<nav class="app-language"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
      return [...nav.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, label: m[2]! }));
    };
    const headingOf = (html: string) => /<h1[^>]*>([^<]+)<\/h1>/.exec(html)?.[1]?.trim();
    const other = { en: 'es', es: 'en' } as const;
    for (const step of [
      'what',
      'when-where',
      'officers',
      'kind',
      'witnesses',
      'evidence',
      'about-you',
      'demographics',
    ]) {
      for (const language of ['en', 'es'] as const) {
        const page = await agent.get(`/complaint/${step}?lang=${language}`).expect(200);
        const links = switchOf(page.text);
        expect(links, `${step} (${language})`).to.deep.equal([
          { href: `/complaint/${step}?lang=${other[language]}`, label: language === 'en' ? 'Español' : 'English' },
        ]);
        const switched = await agent.get(links[0]!.href.replace(/&amp;/g, '&')).expect(200);
        expect(switched.text).to.include(`<html lang="${other[language]}">`);
        expect(switched.text, `${step} after switching`).to.include(`action="/complaint/${step}"`);
        expect(headingOf(switched.text)).to.be.a('string').and.not.equal(headingOf(page.text));
      }
    }
    const check = await agent.get('/complaint/check?lang=es').expect(200);
    expect(switchOf(check.text)).to.deep.equal([{ href: '/complaint/check?lang=en', label: 'English' }]);
    // A step shown again with its errors (a POST) switches to the same step, freshly read.
    const refused = await agent
      .post('/complaint/about-you?lang=en')
      .type('form')
      .send({ _csrf: csrf, filing: 'self' })
      .expect(400);
    expect(switchOf(refused.text)).to.deep.equal([{ href: '/complaint/about-you?lang=es', label: 'Español' }]);
  });
});
