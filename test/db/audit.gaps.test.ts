import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Services } from '../../server/compose.js';
import { totpCode } from '../../server/platform/security/totp.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import { signInAdmin, type TestAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { boardReviewCase, openMeeting, seatBoard } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, tokenFrom, type TestStaff } from '../support/staff.js';

/**
 * R1 gaps of docs/requirements.md: the audit row of each action below, found by the request id
 * of the answer, with who did it (actor) and to what (object). Two reads are not audited by
 * design and are not tested for a row: the staff API's case list and the case queue (case
 * metadata without identity or narrative, caseQueue.service.ts; that premise is tested here), and
 * the resident's status lookup (status.service.ts audits nothing).
 */

const NEW_PASSWORD = 'violet staple orbit tangerine 4417';

interface AuditRow {
  event_type: string;
  actor_type: string;
  actor_id: string | null;
  outcome: string;
  object_type: string | null;
  object_id: string | null;
  request_id: string | null;
  details: unknown;
}

describe('R1: the audit rows the requirements table lists as untested', function () {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  /** An admin with the second factor passed, who sends password links and issues API tokens. */
  let admin: TestAdmin;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    ({ admin } = await signInAdmin(app, services, database.db));
  });

  /** The audit rows written while answering this response (its X-Request-Id). */
  const rowsOf = async (res: request.Response): Promise<AuditRow[]> => {
    const requestId = res.headers['x-request-id'];
    expect(requestId, 'the answer names its request').to.be.a('string').and.not.equal('');
    return (await database.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_type', 'actor_id', 'outcome', 'object_type', 'object_id', 'request_id', 'details'])
      .where('request_id', '=', String(requestId))
      .orderBy('id')
      .execute()) as AuditRow[];
  };

  /** The one row of this type written for the response, with its actor and object. */
  const expectRow = async (
    res: request.Response,
    type: string,
    actor: { type: string; id: string | null },
    object: { type: string; id: string },
  ): Promise<AuditRow> => {
    const rows = await rowsOf(res);
    const matching = rows.filter((r) => r.event_type === type);
    expect(matching, `${type} among ${rows.map((r) => r.event_type).join(', ') || 'no rows'}`).to.have.length(1);
    const row = matching[0]!;
    expect({ type: row.actor_type, id: row.actor_id }, `${type}: actor`).to.deep.equal(actor);
    expect({ type: row.object_type, id: row.object_id }, `${type}: object`).to.deep.equal(object);
    expect(row.outcome, `${type}: outcome`).to.equal('success');
    return row;
  };

  /** A complaint filed through the API, named, by email; its codes and id. */
  const fileNamed = async (email: string) => {
    const res = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'AUDIT-NARRATIVE the officer shouted at me.',
        about: { filing: 'self', name: 'Audit Resident', email, preferredContact: 'email' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const codes = res.body as { trackingNumber: string; accessCode: string };
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', codes.trackingNumber)
      .executeTakeFirstOrThrow();
    return { ...codes, id };
  };

  /** A case under investigation, assigned to this supervisor. */
  const investigatedCase = async (supervisor: TestStaff) => {
    const { id } = await fileNamed(`investigated-${Date.now()}@example.com`);
    const actor: Actor = { kind: 'staff', userId: supervisor.id, roles: ['supervisor'], assignedToCase: false };
    for (const type of ['BEGIN_TRIAGE', 'ACCEPT'] as const) await services.workflow.dispatch(id, { type }, actor);
    await services.workflow.dispatch(id, { type: 'ASSIGN', investigatorId: supervisor.id }, actor);
    await services.workflow.dispatch(id, { type: 'BEGIN_INVESTIGATION' }, actor);
    return id;
  };

  describe('a member of staff’s own account', () => {
    it('signing out: auth.signout by the user, about their account', async () => {
      const staff = await createStaff(database.db, ['intake']);
      const agent = await signIn(app, staff);
      const res = await agent
        .post('/staff/sign-out')
        .type('form')
        .send({ _csrf: await tokenFrom(agent) })
        .expect(303);
      await expectRow(res, 'auth.signout', { type: 'user', id: staff.id }, { type: 'user', id: staff.id });
    });

    it('changing one’s own password: auth.password.change by the user, about their account', async () => {
      const staff = await createStaff(database.db, ['investigator']);
      const agent = await signIn(app, staff);
      const csrf = await tokenFrom(agent, '/staff/account/password');
      const res = await agent
        .post('/staff/account/password')
        .type('form')
        .send({ _csrf: csrf, current: staff.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD })
        .expect(303);
      const row = await expectRow(
        res,
        'auth.password.change',
        { type: 'user', id: staff.id },
        { type: 'user', id: staff.id },
      );
      expect(JSON.stringify(row)).not.to.contain(NEW_PASSWORD).and.not.to.contain(staff.password);
    });

    it('setting a password from an admin’s link: auth.password.reset by the user, about their account', async () => {
      const staff = await createStaff(database.db, ['intake']);
      expect(await services.userAdmin.sendPasswordLink(admin.id, staff.id)).to.equal(undefined);
      const mail = await database.db
        .selectFrom('outbox')
        .select('data')
        .where('recipient', '=', staff.email)
        .where('template', '=', 'passwordLink')
        .executeTakeFirstOrThrow();
      const link = new URL((mail.data as { link: string }).link).pathname;
      const agent = request.agent(app);
      const page = await agent.get(link).expect(200);
      const res = await agent
        .post(link)
        .type('form')
        .send({ _csrf: csrfOf(page.text), password: NEW_PASSWORD, confirm: NEW_PASSWORD })
        .expect(303);
      await expectRow(res, 'auth.password.reset', { type: 'user', id: staff.id }, { type: 'user', id: staff.id });
    });

    it('enrolling a TOTP second factor: auth.mfa.enrol by the user, about their account', async () => {
      const staff = await createStaff(database.db, ['supervisor']);
      const agent = await signIn(app, staff);
      const page = await agent.get('/staff/account/two-factor').expect(200);
      const key = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '');
      const res = await agent
        .post('/staff/account/two-factor')
        .type('form')
        .send({ _csrf: csrfOf(page.text), code: totpCode(key, new Date()) })
        .expect(303);
      const row = await expectRow(
        res,
        'auth.mfa.enrol',
        { type: 'user', id: staff.id },
        { type: 'user', id: staff.id },
      );
      expect(JSON.stringify(row)).not.to.contain(key);
    });
  });

  describe('the board', () => {
    let members: TestStaff[];
    let agents: Agent[];
    let complaintId: string;
    let itemId: string;

    before(async () => {
      const organiser = await createStaff(database.db, ['supervisor']);
      const viewer = { userId: organiser.id, roles: ['supervisor' as const] };
      members = [];
      for (let i = 0; i < 3; i++)
        members.push(await createStaff(database.db, ['board'], { name: `Audit Member ${i}` }));
      await seatBoard(
        services,
        viewer,
        members.map((m) => ({ userId: m.id, roles: ['board'] })),
      );
      complaintId = await boardReviewCase(services, database.db, { allegations: 2 });
      const { items } = await openMeeting(services, viewer, [complaintId]);
      itemId = items[0]!;
      agents = [];
      for (const m of members) agents.push(await signIn(app, m));
    });

    it('a vote: board.vote by the member, about the agenda item, with the case and the findings', async () => {
      const page = await agents[0]!.get(`/staff/board/items/${itemId}/ballot`).expect(200);
      const allegations = await database.db
        .selectFrom('allegations')
        .select('id')
        .where('complaint_id', '=', complaintId)
        .execute();
      const ballot: Record<string, string> = { _csrf: csrfOf(page.text) };
      for (const a of allegations) {
        ballot[`finding-${a.id}`] = 'not_sustained';
        ballot[`rationale-${a.id}`] = 'AUDIT-RATIONALE no witness saw it.';
        ballot[`recommendation-${a.id}`] = '';
      }
      const res = await agents[0]!.post(`/staff/board/items/${itemId}/ballot`).type('form').send(ballot).expect(303);
      const row = await expectRow(
        res,
        'board.vote',
        { type: 'user', id: members[0]!.id },
        { type: 'agenda_item', id: itemId },
      );
      expect(row.details).to.deep.include({ complaintId, findings: allegations.map(() => 'not_sustained') });
      expect(JSON.stringify(row), 'the rationale is a vote, not an audit detail').not.to.contain('AUDIT-RATIONALE');
    });

    it('a recusal: board.recusal by the member, about the case, without the reason', async () => {
      const page = await agents[1]!.get(`/staff/board/items/${itemId}/ballot`).expect(200);
      const res = await agents[1]!
        .post(`/staff/board/items/${itemId}/recuse`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), reason: 'AUDIT-REASON my cousin is the officer.', confirm: 'yes' })
        .expect(303);
      const row = await expectRow(
        res,
        'board.recusal',
        { type: 'user', id: members[1]!.id },
        { type: 'complaint', id: complaintId },
      );
      expect(JSON.stringify(row)).not.to.contain('AUDIT-REASON');
    });
  });

  describe('case work by staff', () => {
    let supervisor: TestStaff;
    let agent: Agent;
    let caseId: string;
    let csrf: string;

    before(async () => {
      supervisor = await createStaff(database.db, ['supervisor']);
      agent = await signIn(app, supervisor);
      caseId = await investigatedCase(supervisor);
      csrf = await tokenFrom(agent, `/staff/cases/${caseId}`);
    });

    it('adding a note: note.add by the author, about the case, naming the note', async () => {
      const res = await agent
        .post(`/staff/cases/${caseId}/notes`)
        .type('form')
        .send({ _csrf: csrf, kind: 'interview', body: 'AUDIT-NOTE the witness remembers the car.' })
        .expect(303);
      const row = await expectRow(
        res,
        'note.add',
        { type: 'user', id: supervisor.id },
        { type: 'complaint', id: caseId },
      );
      const note = await database.db
        .selectFrom('notes')
        .select('id')
        .where('complaint_id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(row.details).to.deep.include({ note: note.id, kind: 'interview' });
      expect(JSON.stringify(row)).not.to.contain('AUDIT-NOTE');
    });

    it('adding and changing an allegation: allegation.add and allegation.update, about the case, naming it', async () => {
      const before = await database.db
        .selectFrom('allegations')
        .select('id')
        .where('complaint_id', '=', caseId)
        .execute();
      const added = await agent
        .post(`/staff/cases/${caseId}/allegations`)
        .type('form')
        .send({ _csrf: csrf, category: 'force', officerDescription: 'Tall, moustache', summary: 'Pushed' })
        .expect(303);
      const [allegation] = await database.db
        .selectFrom('allegations')
        .select('id')
        .where('complaint_id', '=', caseId)
        .where('id', 'not in', before.map((b) => b.id).concat(['00000000-0000-4000-8000-000000000000']))
        .execute();
      expect(allegation, 'the new allegation').to.not.equal(undefined);
      const addRow = await expectRow(
        added,
        'allegation.add',
        { type: 'user', id: supervisor.id },
        { type: 'complaint', id: caseId },
      );
      expect(addRow.details).to.deep.include({ allegation: allegation!.id, category: 'force' });

      const changed = await agent
        .post(`/staff/cases/${caseId}/allegations/${allegation!.id}`)
        .type('form')
        .send({ _csrf: csrf, category: 'discourtesy', officerDescription: 'Tall, moustache', summary: 'Shouted' })
        .expect(303);
      const updateRow = await expectRow(
        changed,
        'allegation.update',
        { type: 'user', id: supervisor.id },
        { type: 'complaint', id: caseId },
      );
      expect(updateRow.details).to.deep.include({ allegation: allegation!.id, category: 'discourtesy' });
    });
  });

  describe('residents and the staff API', () => {
    it('a resident updating contact details: a transition UPDATE_CONTACT by the public, about the case', async () => {
      const filed = await fileNamed('contact-before@example.com');
      const agent = request.agent(app);
      await agent
        .post('/status')
        .type('form')
        .send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode })
        .redirects(1)
        .expect(200);
      const page = await agent.get('/status/contact').expect(200);
      const res = await agent
        .post('/status/contact')
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          email: 'contact-after@example.com',
          phone: '',
          address: '',
          preferredLanguage: 'es',
          preferredContact: 'email',
        })
        .expect(303);
      const row = await expectRow(
        res,
        'complaint.transition',
        { type: 'public', id: null },
        { type: 'complaint', id: filed.id },
      );
      expect(row.details).to.deep.include({ event: 'UPDATE_CONTACT' });
      // The new address is in the case, never in the chain (R2).
      expect(JSON.stringify(row)).not.to.contain('contact-after').and.not.to.contain(filed.accessCode);
      const person = await database.db
        .selectFrom('complainants')
        .select(['email', 'preferred_language'])
        .where('complaint_id', '=', filed.id)
        .executeTakeFirstOrThrow();
      expect(person).to.deep.equal({ email: 'contact-after@example.com', preferred_language: 'es' });
    });

    it('the staff API case list is not a case read: it carries no identity and no narrative (why it is not audited)', async () => {
      const supervisor = await createStaff(database.db, ['supervisor']);
      const issued = await services.apiTokens.issue(admin.id, { userId: supervisor.id, name: 'audit gaps' });
      const collected = await services.apiTokens.collect(supervisor.id, issued.id);
      if (collected.outcome !== 'collected') throw new Error('token not collected');
      const filed = await fileNamed('api-list@example.com');
      const res = await request(app).get('/api/v1/cases').set('Authorization', `Bearer ${collected.token}`).expect(200);
      expect(res.text, 'the filed case is listed').to.contain(filed.trackingNumber);
      for (const secret of ['Audit Resident', 'api-list@example.com', 'AUDIT-NARRATIVE', filed.accessCode]) {
        expect(res.text).not.to.contain(secret);
      }
      // The case itself, with identity, is a read and is audited (as staff.api.test.ts shows in full).
      const one = await request(app)
        .get(`/api/v1/cases/${filed.id}`)
        .set('Authorization', `Bearer ${collected.token}`)
        .expect(200);
      await expectRow(one, 'case.read', { type: 'user', id: supervisor.id }, { type: 'complaint', id: filed.id });
    });
  });

  it('a sign-out without its form token is refused (R13), writes no auth.signout row and ends nothing', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    const res = await agent.post('/staff/sign-out').type('form').send({}).expect(403);
    expect((await rowsOf(res)).map((r) => r.event_type)).not.to.include('auth.signout');
    await agent.get('/staff/account').expect(200);
  });
});
