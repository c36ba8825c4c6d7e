import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, signInPage, STAFF_PASSWORD, type TestStaff } from '../support/staff.js';
import { newTotpSecret, totpCode } from '../../server/platform/security/totp.js';
import { BOARD_SEES_IDENTITY } from '../../server/platform/db/caseAccess.js';

type Role = 'intake' | 'investigator' | 'supervisor' | 'board' | 'admin';
const ROLES: Role[] = ['intake', 'investigator', 'supervisor', 'board', 'admin'];

interface Ctx {
  agent: Agent;
  csrf: string;
  caseId: string;
  allegationId: string;
  fileId: string;
  version: number;
}

/** Every route that takes a case id, as a request with harmless but complete input. */
const ROUTES: Array<{ name: string; send: (c: Ctx) => Promise<request.Response> }> = [
  { name: 'GET case file', send: (c) => c.agent.get(`/staff/cases/${c.caseId}`) },
  {
    name: 'POST note',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/notes`)
        .type('form')
        .send({ _csrf: c.csrf, kind: 'note', body: 'A note.' }),
  },
  {
    name: 'POST allegation',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/allegations`)
        .type('form')
        .send({ _csrf: c.csrf, category: 'discourtesy', officerDescription: 'Tall officer' }),
  },
  { name: 'GET allegation edit', send: (c) => c.agent.get(`/staff/cases/${c.caseId}/allegations/${c.allegationId}`) },
  {
    name: 'POST allegation edit',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/allegations/${c.allegationId}`)
        .type('form')
        .send({ _csrf: c.csrf, category: 'force', officerDescription: 'Tall officer' }),
  },
  {
    name: 'POST evidence',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/evidence`)
        .field('_csrf', c.csrf)
        .attach('evidence', Buffer.from('note\n'), 'n.txt'),
  },
  { name: 'GET evidence file', send: (c) => c.agent.get(`/staff/cases/${c.caseId}/evidence/${c.fileId}`) },
  {
    // RESUME on a case that is not tolled: the roles that may send it get 409, the others 404.
    name: 'POST workflow event',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/actions/RESUME`)
        .type('form')
        .send({ _csrf: c.csrf, version: String(c.version) }),
  },
  {
    name: 'POST draft findings',
    send: (c) =>
      c.agent
        .post(`/staff/cases/${c.caseId}/findings`)
        .type('form')
        .send({ _csrf: c.csrf, version: String(c.version) }),
  },
];

/** What each role gets on each route for a case of their own (assigned to them; on their agenda). */
const OWN: Record<Role, number[]> = {
  //          GET  note allg edit save  evid file  event find
  intake: [200, 303, 303, 200, 303, 303, 200, 404, 404],
  investigator: [200, 303, 303, 200, 303, 303, 200, 409, 400],
  supervisor: [200, 303, 303, 200, 303, 303, 200, 409, 400],
  board: [200, 404, 404, 404, 404, 404, 200, 404, 404],
  admin: [404, 404, 404, 404, 404, 404, 404, 404, 404],
};
/** Intake and supervisors see every case; everyone else gets 404 for someone else's, as for a missing one. */
const SEES_ALL = new Set<Role>(['intake', 'supervisor']);

describe('object-level access: every role × every case route × own and others’ cases (R14)', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];
  let config: ReturnType<typeof testApp>['config'];
  const staff = {} as Record<Role | 'otherInvestigator', TestStaff>;
  const cases = {} as Record<'own' | 'other' | 'recused', { id: string; allegationId: string; fileId: string }>;
  let adminSecret: string;

  async function makeCase(investigator: TestStaff, name: string) {
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'Pushed and insulted at a traffic stop.',
        categories: ['force'],
        officers: [],
        witnesses: [],
        about: {
          filing: 'self',
          name,
          email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`,
          preferredContact: 'email',
        },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    const sup = {
      kind: 'staff' as const,
      userId: staff.supervisor.id,
      roles: ['supervisor' as const],
      assignedToCase: false,
    };
    for (const type of ['BEGIN_TRIAGE', 'ACCEPT'] as const) await services.workflow.dispatch(id, { type }, sup);
    await services.workflow.dispatch(id, { type: 'ASSIGN', investigatorId: investigator.id }, sup, {
      within: async (trx) => {
        await trx
          .insertInto('assignments')
          .values({ complaint_id: id, user_id: investigator.id, assigned_by: staff.supervisor.id })
          .execute();
      },
    });
    await services.workflow.dispatch(
      id,
      { type: 'BEGIN_INVESTIGATION' },
      { ...sup, userId: investigator.id, roles: ['investigator'], assignedToCase: true },
    );
    const allegation = await database.db
      .selectFrom('allegations')
      .select('id')
      .where('complaint_id', '=', id)
      .executeTakeFirstOrThrow();
    const storedName = crypto.randomUUID();
    await mkdir(path.join(config.uploadDir, 'files'), { recursive: true });
    await writeFile(path.join(config.uploadDir, 'files', storedName), 'evidence\n');
    const file = await database.db
      .insertInto('attachments')
      .values({
        complaint_id: id,
        source: 'staff',
        stored_name: storedName,
        original_name: 'x.txt',
        sniffed_type: 'text/plain',
        size_bytes: 0,
        sha256: '0'.repeat(64),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, allegationId: allegation.id, fileId: file.id };
  }

  async function agentFor(role: Role): Promise<Agent> {
    if (role !== 'admin') return signIn(app, staff[role]);
    const agent = request.agent(app);
    const token = await signInPage(agent);
    await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: token, email: staff.admin.email, password: STAFF_PASSWORD });
    const page = await agent.get('/staff/sign-in/code').expect(200);
    await agent
      .post('/staff/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: totpCode(adminSecret, new Date(Date.now() + 30_000 * (adminStep += 1))) })
      .expect(303);
    return agent;
  }
  let adminStep = 0;

  before(async () => {
    ({ app, services, config } = testApp(database.handle));
    for (const role of ROLES) staff[role] = await createStaff(database.db, [role]);
    staff.otherInvestigator = await createStaff(database.db, ['investigator']);
    adminSecret = newTotpSecret();
    const admin = (await services.auth.principal(staff.admin.id))!;
    await services.auth.confirmEnrolment(admin, adminSecret, totpCode(adminSecret, new Date()));
    cases.own = await makeCase(staff.investigator, 'Own Canary');
    cases.other = await makeCase(staff.otherInvestigator, 'Other Canary');
    cases.recused = await makeCase(staff.investigator, 'Recused Canary');
    const meeting = await database.db
      .insertInto('board_meetings')
      .values({ scheduled_for: new Date(Date.now() + 7 * 86_400_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, c] of [cases.own, cases.recused].entries()) {
      await database.db
        .insertInto('agenda_items')
        .values({ meeting_id: meeting.id, complaint_id: c.id, position: i, public_reference: `A-${i}` })
        .execute();
    }
    await database.db
      .insertInto('recusals')
      .values({ complaint_id: cases.recused.id, member_id: staff.board.id, reason: 'Knows the officer' })
      .execute();
  });

  const version = async (id: string) =>
    (await database.db.selectFrom('complaints').select('version').where('id', '=', id).executeTakeFirstOrThrow())
      .version;

  for (const role of ROLES) {
    it(`${role}: own case as expected, someone else's case answers 404 like a missing one`, async function () {
      this.timeout(120_000);
      const agent = await agentFor(role);
      const csrf = csrfOf((await agent.get('/staff/account').expect(200)).text);
      for (const [i, route] of ROUTES.entries()) {
        const own = await route.send({
          agent,
          csrf,
          caseId: cases.own.id,
          ...idsOf(cases.own),
          version: await version(cases.own.id),
        });
        expect(own.status, `${role} ${route.name} on own case`).to.equal(OWN[role][i]);
        for (const other of [cases.other, ...(role === 'board' ? [cases.recused] : [])]) {
          const res = await route.send({
            agent,
            csrf,
            caseId: other.id,
            ...idsOf(other),
            version: await version(other.id),
          });
          if (SEES_ALL.has(role)) expect(res.status, `${role} ${route.name} on another case`).to.equal(OWN[role][i]);
          else expect(res.status, `${role} ${route.name} on another's case`).to.equal(404);
        }
      }
      // A missing case and a malformed id answer exactly the same.
      const missing = await agent.get(`/staff/cases/${crypto.randomUUID()}`);
      const malformed = await agent.get(`/staff/cases/not-a-uuid`);
      expect(missing.status).to.equal(404);
      expect(malformed.status).to.equal(404);
    });
  }

  it("redacts the complainant's identity for the board unless the board's policy grants it (R15)", async () => {
    const agent = await agentFor('board');
    const hidden = await agent.get(`/staff/cases/${cases.own.id}`).expect(200);
    expect(hidden.text).not.to.contain('Own Canary').and.not.to.contain('own.canary@example.com');
    expect(hidden.text).not.to.contain('Internal notes');
    await database.db.insertInto('settings').values({ key: BOARD_SEES_IDENTITY, value: 'true' }).execute();
    const shown = await agent.get(`/staff/cases/${cases.own.id}`).expect(200);
    expect(shown.text).to.contain('Own Canary');
    await database.db.deleteFrom('settings').where('key', '=', BOARD_SEES_IDENTITY).execute();
  });
});

function idsOf(c: { allegationId: string; fileId: string }) {
  return { allegationId: c.allegationId, fileId: c.fileId };
}
