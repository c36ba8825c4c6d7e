import { expect } from 'chai';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { ballotFor, organiserFor, votingCase } from '../support/board.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';

const today = () => new Date().toISOString().slice(0, 10);

describe("the department's response pages (#19 part 1)", () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let supervisor: Agent;
  let caseId: string;
  let allegationId: string;
  let tracking: string;

  before(async () => {
    let services;
    ({ app, services } = testApp(database.handle));
    const organiser = await organiserFor(database.db);
    const voting = await votingCase(services, database.db, organiser, { members: 1, allegations: 1 });
    await services.boardVotes.vote(
      voting.members[0]!,
      voting.itemId,
      await ballotFor(database.db, voting.complaintId, 'sustained', 'Retraining'),
    );
    caseId = voting.complaintId;
    const row = await database.db
      .selectFrom('allegations as a')
      .innerJoin('complaints as c', 'c.id', 'a.complaint_id')
      .select(['a.id', 'c.tracking_number'])
      .where('a.complaint_id', '=', caseId)
      .executeTakeFirstOrThrow();
    allegationId = row.id;
    tracking = row.tracking_number;
    supervisor = await signIn(app, await createStaff(database.db, ['supervisor']));
  });

  const post = async (agent: Agent, fields: Record<string, string>, lang = 'en') => {
    const page = await agent.get(`/staff/responses/${caseId}?lang=${lang}`).expect(200);
    return agent
      .post(`/staff/responses/${caseId}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...fields });
  };

  it('lists the case as awaited, and refuses bad entries with the reasons, in English and Spanish', async () => {
    const list = await supervisor.get('/staff/responses').expect(200);
    expect(list.text).to.include(tracking);
    expect(list.text).to.include(`/staff/responses/${caseId}`);

    const missing = await post(supervisor, { allegation: allegationId });
    expect(missing.status).to.equal(400);
    expect(errorsOf(missing.text), errorsOf(missing.text).join('|')).to.include.members([
      'Say whether the department agreed with the finding',
      'Choose the discipline imposed',
      'Enter the date of the department&#39;s response',
    ]);
    const days = await post(
      supervisor,
      {
        allegation: allegationId,
        concurred: 'yes',
        discipline: 'suspension',
        suspensionDays: '400',
        respondedOn: today(),
      },
      'es',
    );
    expect(days.status).to.equal(400);
    expect(errorsOf(days.text)).to.deep.equal(['Escriba los días de suspensión, un número entero de 1 a 365']);
    const future = await post(supervisor, {
      allegation: allegationId,
      concurred: 'yes',
      discipline: 'none',
      respondedOn: '2199-01-01',
    });
    expect(future.status).to.equal(400);
    expect(errorsOf(future.text)).to.deep.equal(['The date of the response cannot be in the future']);
    const unknown = await post(supervisor, { allegation: allegationId, concurred: 'maybe', extra: 'x' });
    expect(unknown.status).to.equal(400);
    expect(await database.db.selectFrom('department_responses').selectAll().execute()).to.deep.equal([]);
  });

  it('records an entry, shows it on the response page and the case page, and leaves the list', async () => {
    const saved = await post(supervisor, {
      allegation: allegationId,
      concurred: 'no',
      discipline: 'suspension',
      suspensionDays: '3',
      respondedOn: today(),
      note: 'Chief reduced the recommendation',
    });
    expect(saved.status, saved.text.slice(0, 300)).to.equal(303);
    const page = await supervisor.get(`${saved.headers['location']!}?lang=en`).expect(200);
    expect(page.text).to.include('response was recorded.');
    expect(page.text).to.include('Suspension of 3 days');
    expect(page.text).to.include('Chief reduced the recommendation');
    const es = await supervisor.get(`/staff/responses/${caseId}?lang=es`).expect(200);
    expect(es.text).to.include('Suspensión de 3 días');
    const casePage = await supervisor.get(`/staff/cases/${caseId}?lang=en`).expect(200);
    expect(casePage.text).to.include('id="responses"');
    expect(casePage.text).to.include('Suspension of 3 days');
    const list = await supervisor.get('/staff/responses?lang=en').expect(200);
    expect(list.text).to.include('Recently recorded');
    expect(list.text.split('Recently recorded')[0]).to.not.include(tracking);
  });

  it('is not there for intake or investigators: 404, as for any page not theirs', async () => {
    for (const roles of [['intake'], ['investigator']] as const) {
      const agent = await signIn(app, await createStaff(database.db, [...roles]));
      await agent.get('/staff/responses').expect(404);
      await agent.get(`/staff/responses/${caseId}`).expect(404);
    }
    await supervisor.get('/staff/responses/not-an-id').expect(404);
    await supervisor.get('/staff/responses/00000000-0000-4000-8000-000000000000').expect(404);
  });
});
