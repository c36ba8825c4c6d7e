import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { renderEmail, type EmailTemplates } from '../../server/platform/mail/email.templates.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { testApp, testConfig } from '../support/app.js';
import { ballotFor, openMeeting, organiserFor, toBoardReview } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { SPANISH_RESIDENT, fileThroughForm } from '../support/resident.js';
import { createStaff } from '../support/staff.js';

const MEMBER_NAMES = ['Harriet Votewell', 'Ignatius Ballotby', 'Josefina Quorumez'];
const DISCIPLINE = 'DISCIPLINE-SECRET suspend for ten days';
const AGENCY = 'Test Oversight Board';
const DAY = 86_400_000;

describe('the resident’s decision letter: findings in plain words, in their language', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let filed: { trackingNumber: string; accessCode: string };
  let complaintId: string;

  const db = () => database.db;
  /** A browser that has looked the case up with its codes and holds the case pass. */
  const lookedUp = async (language: 'en' | 'es' = 'en') => {
    const agent = request.agent(app);
    await agent
      .post(`/status?lang=${language}`)
      .type('form')
      .send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode })
      .redirects(1)
      .expect(200);
    return agent;
  };
  /** Nothing but the complainant's own case in plain words: no names, narrative or discipline. */
  const expectNothingPrivate = (html: string) => {
    expect(html).not.to.include(DISCIPLINE);
    for (const name of MEMBER_NAMES) expect(html).not.to.include(name);
    expect(html).not.to.include('Officer Smith');
    expect(html).not.to.include('4471');
    expect(html).not.to.include('Lucía');
    expect(html).not.to.include('Maria Lopez');
    expect(html).not.to.include('pushed me against the car');
    expect(html).not.to.include('Main St');
  };

  before(async () => {
    ({ app, services } = testApp(database.handle));
    filed = await fileThroughForm(app, { language: 'es', answers: SPANISH_RESIDENT });
    complaintId = (
      await db()
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', filed.trackingNumber)
        .executeTakeFirstOrThrow()
    ).id;
  });

  it('is not there before the board has decided: back to the case, and no link to it', async () => {
    const agent = await lookedUp();
    await agent.get('/status/decision').expect(303).expect('Location', '/status/case');
    const page = await agent.get('/status/case').expect(200);
    expect(page.text).not.to.include('/status/decision');
    // Without the case pass of a lookup: the lookup form.
    await request(app).get('/status/decision').expect(303).expect('Location', '/status');
  });

  it('moves to a decision through the board', async () => {
    const supervisor = await createStaff(db(), ['supervisor']);
    await toBoardReview(services, complaintId, supervisor.id);
    const organiser = await organiserFor(db());
    const members: Viewer[] = [];
    for (const name of MEMBER_NAMES) {
      members.push({ userId: (await createStaff(db(), ['board'], { name })).id, roles: ['board'] });
    }
    await services.boardSettings.save(organiser.userId, {
      quorum: { kind: 'majority' },
      tieRule: 'not_sustained',
      seated: members.map((m) => m.userId),
      seesIdentity: false,
      publicMemberNames: true,
    });
    const { items } = await openMeeting(services, organiser, [complaintId]);
    // The form's categories are force and discourtesy: both sustained by a majority.
    for (const member of members) {
      const result = await services.boardVotes.vote(
        member,
        items[0]!,
        await ballotFor(db(), complaintId, 'sustained', DISCIPLINE),
      );
      expect(result.outcome).to.equal(member === members.at(-1) ? 'decided' : null);
    }
  });

  it('shows the printable letter in English: agency, date, tracking number, findings, meanings and the last day', async () => {
    const agent = await lookedUp('en');
    const caseLink = await agent.get('/status/case?lang=en').expect(200);
    expect(caseLink.text).to.include('href="/status/decision"');
    expect(caseLink.text).to.include('Read and print the decision letter');

    const res = await agent.get('/status/decision?lang=en').expect(200);
    expect(res.headers['cache-control']).to.include('no-store');
    expect(res.text).to.include('<html lang="en">');
    expect(res.text).to.include(AGENCY);
    expect(res.text).to.include('Decision on your complaint');
    expect(res.text).to.include(filed.trackingNumber);
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'America/Los_Angeles' }).format(
      new Date(),
    );
    expect(res.text).to.include(today);
    expect(res.text).to.include('Use of force');
    expect(res.text).to.include('Discourtesy');
    expect(res.text).to.include('Finding:</strong> Sustained');
    expect(res.text).to.include('the evidence showed the officer did what was alleged and it broke policy.');
    expect(res.text).to.match(/The last day to ask is [A-Z][a-z]+ \d{1,2}, \d{4}\./);
    expect(res.text).to.include('href="/status/reconsideration"');
    expect(res.text).to.include('use your browser&#39;s Print command');
    expect(res.text).not.to.include('window.print');
    expect(res.text).not.to.match(/<script(?![^>]*src=)/);
    expectNothingPrivate(res.text);
  });

  it('shows the letter in Spanish, with the same last day as the emailed letter, which is in Spanish too', async () => {
    const agent = await lookedUp('es');
    const res = await agent.get('/status/decision?lang=es').expect(200);
    expect(res.text).to.include('<html lang="es">');
    expect(res.text).to.include('Decisión sobre su queja');
    expect(res.text).to.include('Uso de la fuerza');
    expect(res.text).to.include('Descortesía');
    expect(res.text).to.include('Conclusión:</strong> Fundada');
    expect(res.text).to.include('las pruebas mostraron que el agente hizo lo que se le acusa');
    expect(res.text).to.include('Pedir una reconsideración');
    expectNothingPrivate(res.text);
    const lastDay = /El último día para pedirlo es el ([^.]+)\./.exec(res.text)?.[1];
    expect(lastDay).to.be.a('string');

    const outbox = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('template', '=', 'decisionLetter')
      .where('recipient', '=', 'lucia@example.com')
      .execute();
    expect(outbox).to.have.length(1);
    const row = outbox[0]!;
    expect(row.language).to.equal('es');
    const email = renderEmail(
      createTranslator(),
      'decisionLetter',
      row.language,
      row.data as unknown as EmailTemplates['decisionLetter'],
      AGENCY,
    );
    expect(email.subject).to.equal(`Decisión sobre su queja ${filed.trackingNumber}`);
    expect(email.text).to.include('La junta ha decidido su queja');
    expect(email.text).to.include('- Uso de la fuerza: Fundada');
    expect(email.text).to.include('- Descortesía: Fundada');
    expect(email.text).to.include(`hasta el ${lastDay}`);
    expect(email.text).not.to.include('The board');
    expectNothingPrivate(email.subject + email.text);
  });

  it('stays available once the case has closed, without the reconsideration link', async () => {
    // The sweeper, on a clock past the window, closes the case.
    const later = buildServices({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
      now: () => new Date(Date.now() + 120 * DAY),
    });
    expect(await later.boardVotes.closeLapsedReconsiderations()).to.equal(1);
    const agent = await lookedUp('en');
    expect((await agent.get('/status/case').expect(200)).text).to.include('href="/status/decision"');
    const res = await agent.get('/status/decision?lang=en').expect(200);
    expect(res.text).to.include('Finding:</strong> Sustained');
    expect(res.text).to.include('The time to ask for reconsideration has ended.');
    expect(res.text).not.to.include('href="/status/reconsideration"');
    expectNothingPrivate(res.text);
  });
});
