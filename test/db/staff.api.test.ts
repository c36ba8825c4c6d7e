import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { TOKEN_LIFETIME_DAYS } from '../../server/features/accounts/apiToken.service.js';
import { hmacHex } from '../../server/platform/security/keys.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { testApp, testConfig } from '../support/app.js';
import { signInAdmin } from '../support/admin.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, signInPage, STAFF_PASSWORD } from '../support/staff.js';

const DEMO_PASSWORD = 'demo-password-for-tests';
const TOKEN = /oct_[A-Za-z0-9_-]{43}/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The app with a clock the test moves (services are built with `now`). */
function clockedApp(handle: Parameters<typeof testApp>[0]) {
  let offset = 0;
  const config = testConfig();
  const translator = createTranslator();
  const svc = buildServices({
    config,
    database: handle,
    translator,
    logger: silentLogger,
    now: () => new Date(Date.now() + offset),
  });
  const app = createApp({ config, logger: silentLogger, translator, services: svc });
  return { app, services: svc, advance: (ms: number) => (offset += ms) };
}

describe('staff API with bearer tokens, and the admin page that issues them', () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  let admin: { agent: Agent; id: string };
  const users: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  const db = () => database.db;
  const userId = async (email: string) =>
    (await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const issue = async (user: string, name: string) => {
    const csrf = csrfOf((await admin.agent.get('/staff/admin/tokens').expect(200)).text);
    return admin.agent.post('/staff/admin/tokens').type('form').send({ _csrf: csrf, userId: user, name });
  };
  /** The id of the newest token of this user with this name. */
  const tokenRow = async (user: string, name: string) =>
    db()
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', user)
      .where('name', '=', name)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
  /** Passwords of the accounts that are not made by createStaff (the demo agency's). */
  const passwords: Record<string, string> = {};
  const agents = new Map<string, Agent>();
  /** The holder of a token, signed in to /staff (once per test file). */
  const holderAgent = async (user: string) => {
    if (user === admin.id) return admin.agent;
    let agent = agents.get(user);
    if (!agent) {
      const { email } = await db().selectFrom('users').select('email').where('id', '=', user).executeTakeFirstOrThrow();
      agent = await signIn(app, { email, password: passwords[user] ?? STAFF_PASSWORD });
      agents.set(user, agent);
    }
    return agent;
  };
  /** The holder presses Collect on their tokens page: the answer. */
  const collect = async (agent: Agent, id: string, csrf?: string) =>
    agent
      .post(`/staff/account/tokens/${id}/collect`)
      .type('form')
      .send({ _csrf: csrf ?? csrfOf((await agent.get('/staff/account/tokens').expect(200)).text) });
  /** The answer, once its status is checked. */
  const expectStatus = async (answer: Promise<request.Response>, status: number) => {
    const res = await answer;
    expect(res.status, res.text.slice(0, 300)).to.equal(status);
    return res;
  };
  /** Authorised by the admin on their page, then collected by the holder on theirs: the secret. */
  const issued = async (user: string, name: string) => {
    const res = await issue(user, name);
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const answer = await collect(await holderAgent(user), (await tokenRow(user, name)).id);
    expect(answer.status, answer.text.slice(0, 300)).to.equal(200);
    return TOKEN.exec(answer.text)![0];
  };
  const api = (token: string | undefined) => ({
    get: (path: string) => {
      const req = request(app).get(path);
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    },
    post: (path: string, body: object) => {
      const req = request(app).post(path).send(body);
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    },
  });
  /** Cases by state and by whether a given investigator holds them now. */
  const caseIds = async (where: { state?: string; assignedTo?: string; notAssignedTo?: string }) => {
    const rows = await db()
      .selectFrom('complaints as c')
      .leftJoin('assignments as a', (join) => join.onRef('a.complaint_id', '=', 'c.id').on('a.ended_at', 'is', null))
      .select(['c.id', 'c.version', 'c.state', 'a.user_id'])
      .orderBy('c.received_at')
      .execute();
    return rows.filter(
      (r) =>
        (!where.state || r.state === where.state) &&
        (!where.assignedTo || r.user_id === where.assignedTo) &&
        (!where.notAssignedTo || (r.user_id !== null && r.user_id !== where.notAssignedTo)),
    );
  };
  const withoutRequestId = (body: { error: { requestId: string } }) => ({
    ...body,
    error: { ...body.error, requestId: '' },
  });

  before(async () => {
    ({ app, services } = testApp(database.handle));
    // The demo agency is created only on an empty database: before any other account.
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    for (const name of ['intake', 'investigator1', 'investigator2', 'supervisor', 'board1']) {
      users[name] = await userId(`${name}@example.org`);
      passwords[users[name]!] = DEMO_PASSWORD;
    }
    const signedIn = await signInAdmin(app, services, database.db);
    admin = { agent: signedIn.agent, id: signedIn.admin.id };
    for (const name of Object.keys(users)) tokens[name] = await issued(users[name]!, `Script of ${name}`);
  });

  describe('the admin page', () => {
    it('authorises a token with no secret: the answer and the page show none; the issue is audited', async () => {
      const res = await issue(users['intake']!, 'Nightly export');
      expect(res.status).to.equal(303);
      expect(res.headers['location']).to.equal('/staff/admin/tokens');
      expect(res.text).not.to.match(TOKEN);
      const row = await tokenRow(users['intake']!, 'Nightly export');
      expect(row).to.include({
        user_id: users['intake'],
        issued_by: admin.id,
        token_hash: null,
        collected_at: null,
        expires_at: null,
        revoked_at: null,
      });
      const event = await db()
        .selectFrom('audit_events')
        .selectAll()
        .where('event_type', '=', 'api_token.issue')
        .where('object_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(event.details).to.deep.equal({ credentialId: row.id, userId: users['intake'] });
      const list = await admin.agent.get('/staff/admin/tokens').expect(200);
      expect(list.text).to.contain('The token was authorised');
      expect(list.text).to.contain('Nightly export').and.to.contain('Waiting to be collected');
      expect(list.text).not.to.match(TOKEN);
      // Collected later by its holder, it is still never on the admin's page.
      await expectStatus(collect(await holderAgent(users['intake']!), row.id), 200);
      const after = await admin.agent.get('/staff/admin/tokens').expect(200);
      expect(after.text).to.contain('Active until').and.not.to.match(TOKEN);
    });

    it('lets the holder collect a waiting token once: the secret is shown once, only its hash is kept', async () => {
      const holder = await holderAgent(users['board1']!);
      const account = await holder.get('/staff/account').expect(200);
      expect(account.text).to.contain('href="/staff/account/tokens"');
      await expectStatus(issue(users['board1']!, 'Board minutes export'), 303);
      const row = await tokenRow(users['board1']!, 'Board minutes export');
      const page = await holder.get('/staff/account/tokens').expect(200);
      expect(page.text).to.contain('Board minutes export').and.to.contain('Waiting to be collected');
      expect(page.text).to.contain(`action="/staff/account/tokens/${row.id}/collect"`);
      expect(page.text).not.to.match(TOKEN);

      const before = Date.now();
      const res = await expectStatus(collect(holder, row.id, csrfOf(page.text)), 200);
      expect(res.headers['cache-control']).to.contain('no-store');
      expect(res.text).to.contain('it will not be shown again');
      const token = TOKEN.exec(res.text)![0];
      const stored = await db().selectFrom('api_tokens').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(stored.token_hash).to.equal(hmacHex(services.keys.apiToken, token));
      expect(JSON.stringify(stored)).not.to.contain(token.slice(4));
      expect(stored.collected_at!.getTime()).to.be.within(before - 1000, Date.now() + 1000);
      expect(stored.expires_at!.getTime() - stored.collected_at!.getTime()).to.equal(TOKEN_LIFETIME_DAYS * DAY_MS);
      const events = await db()
        .selectFrom('audit_events')
        .select(['actor_id', 'details'])
        .where('event_type', '=', 'api_token.collect')
        .where('object_id', '=', row.id)
        .execute();
      expect(events).to.deep.equal([{ actor_id: users['board1'], details: { credentialId: row.id } }]);
      const audit = await db().selectFrom('audit_events').select(['details']).execute();
      expect(JSON.stringify(audit)).not.to.contain(token.slice(4));
      const sessions = await db().selectFrom('sessions').select('data').execute();
      expect(JSON.stringify(sessions)).not.to.contain(token.slice(4));
      await api(token).get('/api/v1/cases').expect(200);

      // Again: no new secret, a notice instead, and nothing changes.
      const again = await collect(holder, row.id);
      expect(again.status).to.equal(303);
      expect(again.headers['location']).to.equal('/staff/account/tokens');
      expect(again.text).not.to.match(TOKEN);
      const notice = await holder.get('/staff/account/tokens').expect(200);
      expect(notice.text).to.contain('That token was already collected').and.to.contain('Active until');
      expect(notice.text).not.to.match(TOKEN);
      const same = await db().selectFrom('api_tokens').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(same.token_hash).to.equal(stored.token_hash);
      expect(same.expires_at!.getTime()).to.equal(stored.expires_at!.getTime());
      const collects = await db()
        .selectFrom('audit_events')
        .select('id')
        .where('event_type', '=', 'api_token.collect')
        .where('object_id', '=', row.id)
        .execute();
      expect(collects).to.have.length(1);
      await api(token).get('/api/v1/cases').expect(200);
    });

    it("answers another user's token, a missing one and a malformed id with 404; no form token is 403", async () => {
      await expectStatus(issue(users['intake']!, 'Not yours'), 303);
      const row = await tokenRow(users['intake']!, 'Not yours');
      const other = await holderAgent(users['supervisor']!);
      const csrf = csrfOf((await other.get('/staff/account/tokens').expect(200)).text);
      const theirs = await expectStatus(collect(other, row.id, csrf), 404);
      const missing = await expectStatus(collect(other, '00000000-0000-4000-8000-000000000000', csrf), 404);
      expect(theirs.text).not.to.match(TOKEN);
      expect(missing.text).not.to.match(TOKEN);
      await expectStatus(collect(other, 'not-a-uuid', csrf), 404);
      await expectStatus(collect(other, '1%27%20or%201=1', csrf), 404);
      await other.post(`/staff/account/tokens/${row.id}/collect`).type('form').send({}).expect(403);
      expect((await other.get('/staff/account/tokens').expect(200)).text).not.to.contain('Not yours');
      expect(await tokenRow(users['intake']!, 'Not yours')).to.include({ token_hash: null, collected_at: null });
      // Signed out: no form token for the POST (403), and the sign-in page for the GET.
      await request(app).post(`/staff/account/tokens/${row.id}/collect`).type('form').send({}).expect(403);
      await request(app).get('/staff/account/tokens').expect(303);
    });

    it('a waiting token has no secret that works, and one revoked before collection cannot be collected', async () => {
      await expectStatus(issue(users['intake']!, 'Never collected'), 303);
      const row = await tokenRow(users['intake']!, 'Never collected');
      await api(`oct_${'B'.repeat(43)}`)
        .get('/api/v1/cases')
        .expect(401);
      const csrf = csrfOf((await admin.agent.get('/staff/admin/tokens').expect(200)).text);
      await admin.agent.post(`/staff/admin/tokens/${row.id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
      const holder = await holderAgent(users['intake']!);
      const res = await expectStatus(collect(holder, row.id), 303);
      expect(res.text).not.to.match(TOKEN);
      const page = await holder.get('/staff/account/tokens').expect(200);
      expect(page.text).to.contain('revoked before it was collected');
      expect(await tokenRow(users['intake']!, 'Never collected')).to.include({ token_hash: null, collected_at: null });
    });

    it('refuses a missing person, a missing name and a long name with messages by the fields (400)', async () => {
      const before = (await db().selectFrom('api_tokens').select('id').execute()).length;
      const empty = await issue('', '');
      expect(empty.status).to.equal(400);
      expect(errorsOf(empty.text)).to.have.length(2);
      expect(empty.text).to.contain('href="#field-userId"').and.to.contain('href="#field-name"');
      const long = await issue(users['intake']!, 'x'.repeat(101));
      expect(long.status).to.equal(400);
      expect(errorsOf(long.text)).to.have.length(1);
      const unknown = await issue('00000000-0000-4000-8000-000000000000', 'Ghost');
      expect(unknown.status).to.equal(400);
      expect((await db().selectFrom('api_tokens').select('id').execute()).length).to.equal(before);
    });

    it('is not there for other roles (404), and asks an admin without a second factor for one', async () => {
      const supervisor = request.agent(app);
      const csrf = await signInPage(supervisor);
      await supervisor
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: 'supervisor@example.org', password: DEMO_PASSWORD })
        .expect(303);
      await supervisor.get('/staff/admin/tokens').expect(404);
      const page = await supervisor.get('/staff/account').expect(200);
      await supervisor
        .post('/staff/admin/tokens')
        .type('form')
        .send({ _csrf: csrfOf(page.text), userId: users['supervisor'], name: 'Mine' })
        .expect(404);
      const halfway = request.agent(app);
      const adminCsrf = await signInPage(halfway);
      const noCode = await createStaff(database.db, ['admin']);
      await halfway
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: adminCsrf, email: noCode.email, password: noCode.password })
        .expect(303);
      const res = await halfway.get('/staff/admin/tokens').expect(303);
      expect(res.headers['location']).to.equal('/staff/account/two-factor');
    });

    it('revokes a token (audited), which then gets the same 401 as an unknown one', async () => {
      const token = await issued(users['intake']!, 'Short-lived');
      await api(token).get('/api/v1/cases/00000000-0000-4000-8000-000000000000').expect(404);
      const row = await db()
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', 'Short-lived')
        .executeTakeFirstOrThrow();
      const csrf = csrfOf((await admin.agent.get('/staff/admin/tokens').expect(200)).text);
      const res = await admin.agent.post(`/staff/admin/tokens/${row.id}/revoke`).type('form').send({ _csrf: csrf });
      expect(res.status).to.equal(303);
      expect(res.headers['location']).to.equal('/staff/admin/tokens');
      const after = await admin.agent.get('/staff/admin/tokens').expect(200);
      expect(after.text).to.contain('The token was revoked');
      const stored = await db().selectFrom('api_tokens').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(stored.revoked_at).to.be.instanceOf(Date);
      const event = await db()
        .selectFrom('audit_events')
        .select(['details', 'actor_id'])
        .where('event_type', '=', 'api_token.revoke')
        .where('object_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(event).to.deep.equal({ actor_id: admin.id, details: { credentialId: row.id, userId: users['intake'] } });

      const revoked = await api(token).get('/api/v1/cases/00000000-0000-4000-8000-000000000000').expect(401);
      const unknown = await api(`oct_${'A'.repeat(43)}`)
        .get('/api/v1/cases/00000000-0000-4000-8000-000000000000')
        .expect(401);
      expect(withoutRequestId(revoked.body)).to.deep.equal(withoutRequestId(unknown.body));
      expect(revoked.headers['www-authenticate']).to.equal(unknown.headers['www-authenticate']);

      // Again: nothing more happens; a malformed or unknown id is not there.
      await admin.agent.post(`/staff/admin/tokens/${row.id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
      await admin.agent.post('/staff/admin/tokens/not-a-uuid/revoke').type('form').send({ _csrf: csrf }).expect(404);
      await admin.agent
        .post('/staff/admin/tokens/00000000-0000-4000-8000-000000000000/revoke')
        .type('form')
        .send({ _csrf: csrf })
        .expect(404);
      await admin.agent.post(`/staff/admin/tokens/${row.id}/revoke`).type('form').send({}).expect(403);
    });
  });

  describe('bearer authentication', () => {
    const anyCase = '/api/v1/cases/00000000-0000-4000-8000-000000000000';

    it('answers no token, a wrong one and a malformed header with the same 401 JSON', async () => {
      const none = await request(app).get(anyCase).expect(401);
      expect(none.headers['www-authenticate']).to.match(/^Bearer /);
      expect(none.headers['content-type']).to.contain('application/json');
      expect(none.body.error).to.include({ status: 401, message: 'A valid bearer token is required.' });
      expect(none.body.error.requestId).to.equal(none.headers['x-request-id']);
      const wrong = await api(tokens['intake']!.slice(0, -1) + 'x')
        .get(anyCase)
        .expect(401);
      const basic = await request(app).get('/api/v1/cases').set('Authorization', 'Basic abc').expect(401);
      for (const other of [wrong, basic]) {
        expect(withoutRequestId(other.body)).to.deep.equal(withoutRequestId(none.body));
      }
      expect(wrong.headers['www-authenticate']).to.match(/^Bearer /);
      const post = await request(app).post(`${anyCase}/events`).send({ type: 'ACCEPT', version: 1 }).expect(401);
      expect(withoutRequestId(post.body)).to.deep.equal(withoutRequestId(none.body));
    });

    it('refuses the token of a disabled user, whatever its row says', async () => {
      const staff = await createStaff(database.db, ['intake']);
      const token = await issued(staff.id, 'Disabled soon');
      await api(token).get(anyCase).expect(404);
      await db().updateTable('users').set({ disabled_at: new Date() }).where('id', '=', staff.id).execute();
      await api(token).get(anyCase).expect(401);
    });

    it('revokes the tokens of a user who is disabled (audited); enabling them again does not bring them back', async () => {
      const staff = await createStaff(database.db, ['intake']);
      const active = await issued(staff.id, 'Active one');
      await expectStatus(issue(staff.id, 'Waiting one'), 303);
      const waiting = await tokenRow(staff.id, 'Waiting one');
      const activeRow = await tokenRow(staff.id, 'Active one');
      await api(active).get(anyCase).expect(404);

      expect(await services.userAdmin.setDisabled(admin.id, staff.id, true)).to.equal(undefined);
      await api(active).get(anyCase).expect(401);
      const rows = await db()
        .selectFrom('api_tokens')
        .select(['id', 'revoked_at'])
        .where('user_id', '=', staff.id)
        .execute();
      expect(rows).to.have.length(2);
      for (const row of rows) expect(row.revoked_at, row.id).to.be.instanceOf(Date);
      const events = await db()
        .selectFrom('audit_events')
        .select(['object_id', 'actor_id', 'details'])
        .where('event_type', '=', 'api_token.revoke')
        .where('object_id', 'in', [waiting.id, activeRow.id])
        .orderBy('id')
        .execute();
      expect(events).to.have.deep.members(
        [waiting.id, activeRow.id].map((id) => ({
          object_id: id,
          actor_id: admin.id,
          details: { credentialId: id, userId: staff.id, reason: 'user.disable' },
        })),
      );

      expect(await services.userAdmin.setDisabled(admin.id, staff.id, false)).to.equal(undefined);
      await api(active).get(anyCase).expect(401);
      expect(await services.apiTokens.collect(staff.id, waiting.id)).to.deep.equal({ outcome: 'revoked' });
      const mine = await services.apiTokens.mine(staff.id);
      expect(mine.map((t) => t.state)).to.deep.equal(['revoked', 'revoked']);
    });

    it('refuses a token once its 90 days from collection are over', async () => {
      const clocked = clockedApp(database.handle);
      const staff = await createStaff(database.db, ['intake']);
      const { id } = await clocked.services.apiTokens.issue(admin.id, { userId: staff.id, name: 'Short life' });
      const collected = await clocked.services.apiTokens.collect(staff.id, id);
      if (collected.outcome !== 'collected') throw new Error(collected.outcome);
      const bearer = (path: string) => request(clocked.app).get(path).set('Authorization', `Bearer ${collected.token}`);
      await bearer(anyCase).expect(404);
      clocked.advance(TOKEN_LIFETIME_DAYS * DAY_MS - 60_000);
      await bearer(anyCase).expect(404);
      clocked.advance(2 * 60_000);
      const expired = await bearer(anyCase).expect(401);
      const unknown = await request(clocked.app)
        .get(anyCase)
        .set('Authorization', `Bearer oct_${'C'.repeat(43)}`)
        .expect(401);
      expect(withoutRequestId(expired.body)).to.deep.equal(withoutRequestId(unknown.body));
      expect((await clocked.services.apiTokens.mine(staff.id)).map((t) => t.state)).to.deep.equal(['expired']);
    });

    it("acts with the user's roles of the moment: a removed role applies on the next request (R12)", async () => {
      const staff = await createStaff(database.db, ['intake']);
      const token = await issued(staff.id, 'Role removed soon');
      const [first] = await caseIds({});
      await api(token).get(`/api/v1/cases/${first!.id}`).expect(200);
      await db().deleteFrom('user_roles').where('user_id', '=', staff.id).execute();
      await api(token).get(`/api/v1/cases/${first!.id}`).expect(404);
    });

    it('never acts as an admin: an admin-only token sees no case', async () => {
      const [first] = await caseIds({});
      const token = await issued(admin.id, 'Admin script');
      await api(token).get(`/api/v1/cases/${first!.id}`).expect(404);
    });

    it('records the last use at most once a minute', async () => {
      const row = () =>
        db()
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('user_id', '=', users['investigator2']!)
          .executeTakeFirstOrThrow();
      await api(tokens['investigator2']).get(anyCase).expect(404);
      const first = (await row()).last_used_at;
      expect(first).to.be.instanceOf(Date);
      await api(tokens['investigator2']).get(anyCase).expect(404);
      expect((await row()).last_used_at!.getTime()).to.equal(first!.getTime());
    });

    it('does not use the staff session: a signed-in browser without a token gets 401', async () => {
      await admin.agent.get(anyCase).expect(401);
    });
  });

  describe('GET /api/v1/cases', () => {
    it("lists only the investigator's own cases; a supervisor's filters narrow the whole queue", async () => {
      const mine = (await caseIds({ assignedTo: users['investigator1']! })).filter((c) => c.state !== 'closed');
      const own = await api(tokens['investigator1']).get('/api/v1/cases').expect(200);
      expect(own.body).to.include({ page: 1, pageSize: 25, total: mine.length });
      expect(own.body.items.map((i: { id: string }) => i.id)).to.have.members(mine.map((c) => c.id));
      expect(own.body.items[0]).to.have.keys(
        'id',
        'trackingNumber',
        'stage',
        'state',
        'receivedAt',
        'district',
        'categories',
        'assigneeId',
        'assigneeName',
        'nextDueAt',
        'badge',
      );
      const dues = own.body.items.map((i: { nextDueAt: string | null }) => i.nextDueAt).filter(Boolean);
      expect(dues).to.deep.equal([...dues].sort());

      const assigned = await api(tokens['supervisor'])
        .get(`/api/v1/cases?assignee=${users['investigator1']}&stage=investigation`)
        .expect(200);
      expect(assigned.body.total).to.be.greaterThan(0);
      for (const item of assigned.body.items) {
        expect(item).to.include({ assigneeId: users['investigator1'], stage: 'investigation' });
      }
      const one = own.body.items[0];
      const byNumber = await api(tokens['supervisor'])
        .get(`/api/v1/cases?trackingNumber=${one.trackingNumber.toLowerCase().replace(/-/g, ' ')}`)
        .expect(200);
      expect(byNumber.body.items.map((i: { id: string }) => i.id)).to.deep.equal([one.id]);
      const other = await api(tokens['investigator2']).get(`/api/v1/cases?trackingNumber=${one.trackingNumber}`);
      expect(other.body.total).to.equal(0);
    });

    it('refuses unknown and malformed filters with 400 and a message per parameter, and no token with 401', async () => {
      const res = await api(tokens['supervisor'])
        .get('/api/v1/cases?stage=nowhere&overdue=maybe&page=0&colour=red&trackingNumber=12')
        .set('Accept-Language', 'es')
        .expect(400);
      const fields = res.body.error.errors.map((e: { field: string }) => e.field);
      expect(fields).to.include.members(['stage', 'overdue', 'page', 'colour', 'trackingNumber']);
      for (const e of res.body.error.errors)
        expect(e.message)
          .to.be.a('string')
          .and.not.match(/^[a-z]+\.[a-zA-Z.]+$/);
      await api(undefined).get('/api/v1/cases').expect(401);
    });
  });

  describe('GET /api/v1/cases/{id}', () => {
    it("gives an investigator their own case, audited as their read, and 404 for another's", async () => {
      const [mine] = await caseIds({ assignedTo: users['investigator1']! });
      const [theirs] = await caseIds({ notAssignedTo: users['investigator1']! });
      const res = await api(tokens['investigator1']).get(`/api/v1/cases/${mine!.id}`).expect(200);
      expect(res.body).to.include({ id: mine!.id, version: mine!.version, state: mine!.state });
      expect(res.body.trackingNumber).to.match(/^OC-/);
      expect(res.body.allegations).to.be.an('array');
      expect(res.body.deadlines).to.be.an('array');
      expect(res.body.availableActions).to.be.an('array');
      expect(res.body.timeline[0]).to.have.keys('key', 'at');
      expect(res.body).not.to.have.property('narrative');
      const read = await db()
        .selectFrom('audit_events')
        .select(['actor_id', 'request_id'])
        .where('event_type', '=', 'case.read')
        .where('object_id', '=', mine!.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(read).to.deep.equal({ actor_id: users['investigator1'], request_id: res.headers['x-request-id'] });

      const other = await api(tokens['investigator1']).get(`/api/v1/cases/${theirs!.id}`).expect(404);
      const missing = await api(tokens['investigator1'])
        .get('/api/v1/cases/00000000-0000-4000-8000-000000000000')
        .expect(404);
      await api(tokens['investigator1']).get('/api/v1/cases/1%27%20or%201=1').expect(404);
      expect(withoutRequestId(other.body)).to.deep.equal(withoutRequestId(missing.body));
    });

    it("hides the complainant's identity from a board member's token (R15), not from a supervisor's", async () => {
      const target = await db()
        .selectFrom('complaints as c')
        .select('c.id')
        .where('c.state', '=', 'boardReview.voting')
        .where((eb) =>
          eb.exists(eb.selectFrom('complainants as p').select('p.id').whereRef('p.complaint_id', '=', 'c.id')),
        )
        .executeTakeFirstOrThrow();
      const meeting = await db()
        .insertInto('board_meetings')
        .values({ scheduled_for: new Date(), status: 'voting' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('agenda_items')
        .values({ meeting_id: meeting.id, complaint_id: target.id, public_reference: 'Item 1' })
        .execute();
      const board = await api(tokens['board1']).get(`/api/v1/cases/${target.id}`).expect(200);
      expect(board.body).not.to.have.property('complainants');
      expect(JSON.stringify(board.body)).not.to.contain('@');
      const supervisor = await api(tokens['supervisor']).get(`/api/v1/cases/${target.id}`).expect(200);
      expect(supervisor.body.complainants).to.be.an('array').with.length.greaterThan(0);
      expect(supervisor.body.complainants[0]).to.have.property('name').that.is.a('string');
    });
  });

  describe('POST /api/v1/cases/{id}/events', () => {
    const state = async (id: string) =>
      db().selectFrom('complaints').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();

    it('refuses a stale version with 409 and changes nothing; the current one moves the case (200)', async () => {
      const [received] = await caseIds({ state: 'intake.received' });
      const path = `/api/v1/cases/${received!.id}/events`;
      const stale = await api(tokens['intake'])
        .post(path, { type: 'BEGIN_TRIAGE', version: received!.version + 1 })
        .expect(409);
      expect(stale.body.error.status).to.equal(409);
      expect(await state(received!.id)).to.deep.equal({ state: 'intake.received', version: received!.version });
      const ok = await api(tokens['intake'])
        .post(path, { type: 'BEGIN_TRIAGE', version: received!.version })
        .expect(200);
      expect(ok.body).to.deep.equal({ state: 'intake.triage', version: received!.version + 1 });
      expect(await state(received!.id)).to.deep.equal(ok.body);
      const transition = await db()
        .selectFrom('audit_events')
        .select(['actor_id', 'request_id'])
        .where('event_type', '=', 'complaint.transition')
        .where('object_id', '=', received!.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(transition).to.deep.equal({ actor_id: users['intake'], request_id: ok.headers['x-request-id'] });
      // The same step again: the workflow refuses it now.
      await api(tokens['intake']).post(path, { type: 'BEGIN_TRIAGE', version: ok.body.version }).expect(409);
    });

    it('refuses bad input with 400 and the errors by field, changing nothing', async () => {
      const [triage] = await caseIds({ state: 'intake.triage' });
      const path = `/api/v1/cases/${triage!.id}/events`;
      const v = triage!.version;
      const cases: Array<[object, string[]]> = [
        [{ type: 'NOT_AN_EVENT', version: v }, ['type']],
        [{ type: 'BOARD_DECIDED', version: v }, ['type']],
        [{ type: 'REFER', version: v }, ['agency']],
        [{ type: 'REFER', version: v, agency: 'x'.repeat(201) }, ['agency']],
        [{ type: 'DISMISS', version: v, reason: 'bored' }, ['reason']],
        [{ type: 'ACCEPT', version: 'three' }, ['version']],
        [{ type: 'ACCEPT', version: v, extra: 1 }, ['extra']],
        [{}, ['type']],
      ];
      for (const [body, fields] of cases) {
        const res = await api(tokens['intake']).post(path, body).expect(400);
        expect(
          res.body.error.errors.map((e: { field: string }) => e.field),
          JSON.stringify(body),
        ).to.deep.equal(fields);
      }
      const notJson = await request(app)
        .post(path)
        .set('Authorization', `Bearer ${tokens['intake']}`)
        .type('json')
        .send('{"type":')
        .expect(400);
      expect(notJson.body.error.status).to.equal(400);
      expect(await state(triage!.id)).to.deep.equal({ state: 'intake.triage', version: v });
    });

    it('answers 404 for a case the user cannot see and for an event their roles cannot send', async () => {
      const [theirs] = await caseIds({ state: 'investigation.active', notAssignedTo: users['investigator1']! });
      await api(tokens['investigator1'])
        .post(`/api/v1/cases/${theirs!.id}/events`, { type: 'RESUME', version: theirs!.version })
        .expect(404);
      await api(tokens['investigator1'])
        .post(`/api/v1/cases/${theirs!.id}/events`, {
          type: 'TOLL',
          version: theirs!.version,
          reason: 'written_waiver',
        })
        .expect(404);
      expect(await state(theirs!.id)).to.deep.equal({ state: 'investigation.active', version: theirs!.version });
      const [mine] = await caseIds({ state: 'investigation.assigned', assignedTo: users['investigator1']! });
      await api(tokens['investigator1'])
        .post(`/api/v1/cases/${mine!.id}/events`, { type: 'REOPEN', version: mine!.version, reason: 'Because' })
        .expect(404);
      const ok = await api(tokens['investigator1'])
        .post(`/api/v1/cases/${mine!.id}/events`, { type: 'BEGIN_INVESTIGATION', version: mine!.version })
        .expect(200);
      expect(ok.body.state).to.equal('investigation.active');
      await api(tokens['investigator1']).post('/api/v1/cases/nope/events', { type: 'ACCEPT', version: 1 }).expect(404);
    });

    it('assigns with the same checks as the form: an unknown investigator is a field error', async () => {
      const [waiting] = await caseIds({ state: 'investigation.awaitingAssignment' });
      const path = `/api/v1/cases/${waiting!.id}/events`;
      const bad = await api(tokens['supervisor'])
        .post(path, { type: 'ASSIGN', version: waiting!.version, investigatorId: users['intake'] })
        .expect(400);
      expect(bad.body.error.errors).to.deep.equal([
        { field: 'investigatorId', message: 'Choose one of the options shown' },
      ]);
      const ok = await api(tokens['supervisor'])
        .post(path, { type: 'ASSIGN', version: waiting!.version, investigatorId: users['investigator1'] })
        .expect(200);
      expect(ok.body.state).to.equal('investigation.assigned');
      await api(tokens['investigator1']).get(`/api/v1/cases/${waiting!.id}`).expect(200);
    });
  });

  describe('the OpenAPI document', () => {
    it('lists the staff endpoints with the bearer scheme, beside the resident ones', async () => {
      const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
      expect(doc.paths).to.include.keys('/complaints', '/status', '/cases', '/cases/{id}', '/cases/{id}/events');
      expect(doc.components.securitySchemes.bearerAuth).to.include({ type: 'http', scheme: 'bearer' });
      for (const [path, method] of [
        ['/cases', 'get'],
        ['/cases/{id}', 'get'],
        ['/cases/{id}/events', 'post'],
      ] as const) {
        const operation = doc.paths[path][method];
        expect(operation.security, path).to.deep.equal([{ bearerAuth: [] }]);
        expect(operation.responses, path).to.include.keys('200', '401');
      }
      expect(doc.paths['/complaints'].post).not.to.have.property('security');
      const events = doc.paths['/cases/{id}/events'].post.requestBody.content['application/json'].schema;
      const types = events.anyOf.map((s: { properties: { type: { const: string } } }) => s.properties.type.const);
      expect(types).to.include.members(['ACCEPT', 'REFER', 'ASSIGN']).and.not.include('BOARD_DECIDED');
      const detail = doc.paths['/cases/{id}'].get.responses['200'].content['application/json'].schema;
      expect(detail.properties).to.include.keys('trackingNumber', 'complainants', 'availableActions', 'timeline');
      const names = doc.paths['/cases'].get.parameters.map((p: { name: string }) => p.name);
      expect(names).to.include.members([
        'stage',
        'overdue',
        'dueSoon',
        'category',
        'district',
        'trackingNumber',
        'page',
      ]);
    });
  });
});
