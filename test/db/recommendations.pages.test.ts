import { expect } from 'chai';
import request from 'supertest';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { boardMembersFor, organiserFor, seatBoard } from '../support/board.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';

const today = () => new Date().toISOString().slice(0, 10);
const FORM = {
  titleEn: 'Body cameras on at every stop',
  titleEs: 'Cámaras corporales encendidas en cada parada',
  bodyEn: 'Officers should start recording before every stop.',
  bodyEs: 'Los agentes deberían empezar a grabar antes de cada parada.',
  basisEn: 'Complaints in which no recording existed.',
  basisEs: 'Quejas en las que no había grabación.',
  cases: '',
};

describe('policy recommendation pages: staff forms, the board ballot, the public tracker (#19 part 3)', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];
  let supervisor: Agent;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    supervisor = await signIn(app, await createStaff(database.db, ['supervisor']));
  });

  const post = async (agent: Agent, page: string, action: string, fields: Record<string, string>) => {
    const token = csrfOf((await agent.get(page).expect(200)).text);
    return agent
      .post(action)
      .type('form')
      .send({ _csrf: token, ...fields });
  };

  it('drafts through the form, refusing bad input with the reasons in the reader’s language', async () => {
    const empty = await post(supervisor, '/staff/recommendations/new?lang=es', '/staff/recommendations', {});
    expect(empty.status).to.equal(400);
    expect(errorsOf(empty.text)).to.include('Escriba el título en cada idioma');
    const unknown = await post(supervisor, '/staff/recommendations/new?lang=en', '/staff/recommendations', {
      ...FORM,
      cases: 'OC-2222-2222',
    });
    expect(unknown.status).to.equal(400);
    expect(errorsOf(unknown.text)).to.deep.equal(['One of the tracking numbers is not a case of the agency']);
    const forged = await post(supervisor, '/staff/recommendations/new', '/staff/recommendations', {
      ...FORM,
      extra: 'x',
    });
    expect(forged.status).to.equal(400);
    expect(await database.db.selectFrom('recommendations').select('id').execute()).to.deep.equal([]);
    const made = await post(supervisor, '/staff/recommendations/new', '/staff/recommendations', FORM);
    expect(made.status).to.equal(303);
    const page = await supervisor.get(`${made.headers['location']!}?lang=en`).expect(200);
    expect(page.text).to.include('Body cameras on at every stop');
    expect(page.text).to.include('saved as a draft');
  });

  it('goes on a meeting, is voted by the seated members, and appears in the public tracker in both languages', async () => {
    const organiser = await organiserFor(database.db);
    const members = await boardMembersFor(database.db, 3);
    await seatBoard(services, organiser, members);
    const id = (await database.db.selectFrom('recommendations').select('id').executeTakeFirstOrThrow()).id;
    const meetingId = await services.boardMeetings.schedule(organiser, { scheduledFor: new Date(), location: null });
    const added = await post(supervisor, `/staff/recommendations/${id}`, `/staff/recommendations/${id}/agenda`, {
      meetingId,
    });
    expect(added.status, added.text.slice(0, 200)).to.equal(303);
    await services.boardMeetings.openVoting(organiser, meetingId);
    const item = (await database.db.selectFrom('recommendation_items').select('id').executeTakeFirstOrThrow()).id;
    const memberAgents = [];
    for (const m of members) {
      const email = (
        await database.db.selectFrom('users').select('email').where('id', '=', m.userId).executeTakeFirstOrThrow()
      ).email;
      memberAgents.push(await signIn(app, { email, password: 'correct horse battery staple' }));
    }
    const meetingPage = `/staff/board/meetings/${meetingId}/recommendations`;
    const noReason = await post(memberAgents[0]!, meetingPage, `${meetingPage}/${item}/vote`, { choice: 'recused' });
    expect(noReason.status).to.equal(400);
    expect(errorsOf(noReason.text)).to.deep.equal(['Give the reason you recuse yourself']);
    for (const agent of memberAgents) {
      const voted = await post(agent, meetingPage, `${meetingPage}/${item}/vote`, { choice: 'adopt' });
      expect(voted.status).to.equal(303);
    }
    const tracker = await request(app).get('/recommendations?lang=en').expect(200);
    expect(tracker.text).to.include('Body cameras on at every stop');
    expect(tracker.text).to.include('Awaiting the department');
    const reference = /href="\/recommendations\/(REC-\d{4}-\d{3})"/.exec(tracker.text)![1]!;
    const es = await request(app).get(`/recommendations/${reference}?lang=es`).expect(200);
    expect(es.text).to.include('Cámaras corporales encendidas en cada parada');
    expect(es.text).to.include('3 a favor, 0 en contra');

    const update = await post(supervisor, `/staff/recommendations/${id}`, `/staff/recommendations/${id}/updates`, {
      status: 'partially_accepted',
      body: 'The chief will require recording at traffic stops only.',
      occurredOn: today(),
    });
    expect(update.status).to.equal(303);
    const filtered = await request(app).get('/recommendations?status=partially_accepted&lang=en').expect(200);
    expect(filtered.text).to.include(reference);
    const other = await request(app).get('/recommendations?status=rejected').expect(200);
    expect(other.text).to.not.include(reference);
    const odd = await request(app).get('/recommendations?status=nonsense&year=abc').expect(200);
    expect(odd.text).to.include(reference);
    // The open data and the OpenAPI description carry them too (#19 part 6).
    const csv = await request(app).get('/data/recommendations.csv').expect(200);
    expect(csv.headers['content-disposition']).to.match(/attachment; filename="?recommendations.csv/);
    const [header, row] = csv.text.split('\r\n');
    expect(header).to.equal(
      'reference,adopted_on,votes_for,votes_against,response_due_on,status,status_since,title_en,title_es',
    );
    expect(row).to.include(`${reference},`);
    expect(row).to.include(',3,0,');
    expect(row).to.include(',partially_accepted,');
    const json = JSON.parse((await request(app).get('/data/recommendations.json').expect(200)).text) as {
      rows: Array<{ reference: string; title_es: string }>;
    };
    expect(json.rows.map((r) => r.title_es)).to.deep.equal(['Cámaras corporales encendidas en cada parada']);
    const openapi = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths as object)).to.include('/data/recommendations.csv');
    await request(app).get('/recommendations/REC-1999-999').expect(404);
    await request(app).get('/recommendations/%00').expect(404);
  });

  it('keeps drafts, linked cases and the staff pages from the public and from roles without them', async () => {
    const drafted = await post(supervisor, '/staff/recommendations/new', '/staff/recommendations', {
      ...FORM,
      titleEn: 'A draft nobody outside may see',
    });
    expect(drafted.status).to.equal(303);
    const tracker = await request(app).get('/recommendations').expect(200);
    expect(tracker.text).to.not.include('A draft nobody outside may see');
    for (const roles of [['intake'], ['investigator'], ['board']] as const) {
      const agent = await signIn(app, await createStaff(database.db, [...roles]));
      await agent.get('/staff/recommendations').expect(404);
    }
  });
});
