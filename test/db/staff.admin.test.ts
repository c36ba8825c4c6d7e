import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Services } from '../../server/compose.js';
import { verifyPassword } from '../../server/platform/security/password.js';
import { testApp } from '../support/app.js';
import { createAdmin, signInAdmin, signInAdminAs, type TestAdmin } from '../support/admin.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, signInPage, tokenFrom } from '../support/staff.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The messages of a page's error summary, in order. */
function summaryOf(html: string): string[] {
  const summary = /id="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a class="usa-link" href="#[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]!.trim());
}

describe('administration: users (R1, R9, R12, R13)', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let admin: TestAdmin;
  let agent: Agent;
  let csrf: string;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    ({ admin, agent } = await signInAdmin(app, services, database.db));
    csrf = await tokenFrom(agent, '/staff/admin');
  });

  const post = (path: string, fields: Record<string, unknown> = {}) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...fields });
  const events = (type: string, objectId?: string) => {
    let query = database.db.selectFrom('audit_events').selectAll().where('event_type', '=', type);
    if (objectId) query = query.where('object_id', '=', objectId);
    return query.orderBy('id').execute();
  };
  const userRow = (id: string) =>
    database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const rolesOf = async (id: string) =>
    (await database.db.selectFrom('user_roles').select('role').where('user_id', '=', id).execute())
      .map((r) => r.role)
      .sort();

  it('answers 404 to every other role, and sends an admin without two-step sign-in to set it up', async () => {
    const id = (await createStaff(database.db, ['intake'])).id;
    const gets = [
      '',
      '/users',
      '/users/new',
      `/users/${id}`,
      '/deadlines',
      '/deadlines/triage',
      '/holidays',
      '/outbox',
    ];
    const posts = [
      '/users',
      `/users/${id}`,
      ...['disable', 'enable', 'password-link', 'two-step/remove', 'unlock'].map((action) => `/users/${id}/${action}`),
      '/deadlines/triage',
      '/holidays',
      '/holidays/2027-03-17/remove',
      `/outbox/${UNKNOWN}/retry`,
    ];
    for (const role of ['intake', 'investigator', 'supervisor', 'board'] as const) {
      const other = await signIn(app, await createStaff(database.db, [role]));
      const token = await tokenFrom(other);
      for (const path of gets) await other.get(`/staff/admin${path}`).expect(404);
      for (const path of posts)
        await other.post(`/staff/admin${path}`).type('form').send({ _csrf: token, displayName: 'x' }).expect(404);
    }
    const noCode = await signIn(app, await createStaff(database.db, ['admin', 'intake']));
    for (const path of ['', '/users', '/deadlines', '/holidays', '/outbox']) {
      const res = await noCode.get(`/staff/admin${path}`).expect(303);
      expect(res.headers['location']).to.equal('/staff/account/two-factor');
    }
    const res = await noCode
      .post(`/staff/admin/users/${id}/disable`)
      .type('form')
      .send({ _csrf: await tokenFrom(noCode) });
    expect(res.headers['location']).to.equal('/staff/account/two-factor');
    expect((await userRow(id)).disabled_at).to.equal(null);
    expect(await events('user.disable')).to.have.length(0);
  });

  it('links from the administration home to every area', async () => {
    const page = await agent.get('/staff/admin').expect(200);
    for (const area of ['users', 'deadlines', 'holidays', 'outbox', 'audit', 'retention', 'tokens'])
      expect(page.text).to.contain(`href="/staff/admin/${area}"`);
  });

  it('adds a user with no password, emails one link, and the link lets them set one and sign in', async () => {
    const email = 'New.Investigator@Example.org';
    const res = await post('/staff/admin/users', {
      email,
      displayName: 'Nueva Investigadora',
      language: 'es',
      roles: ['investigator', 'board'],
    }).expect(303);
    const id = /\/staff\/admin\/users\/([0-9a-f-]{36})$/.exec(res.headers['location'] as string)![1]!;
    const row = await userRow(id);
    expect(row.language).to.equal('es');
    expect(await verifyPassword('', row.password_hash)).to.equal(false);
    expect(await rolesOf(id)).to.deep.equal(['board', 'investigator']);
    const mails = await database.db.selectFrom('outbox').selectAll().where('recipient', '=', email).execute();
    expect(mails.map((m) => [m.template, m.language])).to.deep.equal([['passwordLink', 'es']]);
    const [created] = await events('user.create', id);
    expect(created!.actor_id).to.equal(admin.id);
    expect(created!.details).to.deep.equal({ roles: ['investigator', 'board'], language: 'es' });
    expect(await events('user.password.link', id)).to.have.length(1);
    expect((await agent.get(`/staff/admin/users/${id}`).expect(200)).text).to.contain('Nueva Investigadora');

    const link = new URL((mails[0]!.data as { link: string }).link).pathname;
    const newcomer = request.agent(app);
    const form = await newcomer.get(link).expect(200);
    const password = 'a river of quiet lanterns';
    await newcomer
      .post(link)
      .type('form')
      .send({ _csrf: csrfOf(form.text), password, confirm: password })
      .expect(303);
    const signedIn = await signIn(app, { email: email.toLowerCase(), password });
    expect((await signedIn.get('/staff/account').expect(200)).text).to.contain('Nueva Investigadora');

    const again = await post('/staff/admin/users', {
      email: 'new.investigator@EXAMPLE.org',
      displayName: 'Someone else',
      language: 'en',
      roles: ['intake'],
    }).expect(400);
    expect(errorsOf(again.text)).to.deep.equal(['There is already a user with this email address']);
    expect(
      await database.db.selectFrom('outbox').selectAll().where('template', '=', 'passwordLink').execute(),
    ).to.have.length(1);
  });

  it('refuses bad input with errors beside each field, changing nothing', async () => {
    const before = await database.db.selectFrom('users').select('id').execute();
    const empty = await post('/staff/admin/users', { email: '', displayName: ' ', language: 'fr' }).expect(400);
    expect(errorsOf(empty.text).map((e) => e.replaceAll('&#39;', "'"))).to.deep.equal([
      "Enter the user's email address",
      "Enter the user's name",
      'Choose English or Spanish',
    ]);
    expect(empty.text).to.contain('href="#field-email"');
    const bad = await post('/staff/admin/users', {
      email: 'not-an-address',
      displayName: 'x'.repeat(201),
      language: 'en',
      roles: ['root'],
    }).expect(400);
    expect(errorsOf(bad.text)).to.have.length(3);
    await post('/staff/admin/users', { email: 'a@example.org', displayName: 'A', language: 'en', extra: '1' }).expect(
      400,
    );
    const spanish = await post('/staff/admin/users?lang=es', { email: '', displayName: 'A', language: 'en' }).expect(
      400,
    );
    expect(errorsOf(spanish.text)).to.deep.equal(['Escriba el correo electrónico del usuario']);
    await agent.get('/staff/admin/users?lang=en').expect(200);
    expect(await database.db.selectFrom('users').select('id').execute()).to.have.length(before.length);

    const target = await createStaff(database.db, ['intake'], { name: 'Kept Name' });
    const edit = await post(`/staff/admin/users/${target.id}`, { displayName: '', language: 'en', roles: ['intake'] });
    expect(edit.status).to.equal(400);
    expect(errorsOf(edit.text)).to.deep.equal(['Enter the user&#39;s name']);
    expect((await userRow(target.id)).display_name).to.equal('Kept Name');
    await agent.get('/staff/admin/users/not-a-uuid').expect(404);
    await agent.get(`/staff/admin/users/${UNKNOWN}`).expect(404);
    await post(`/staff/admin/users/${UNKNOWN}/disable`).expect(404);
    await post('/staff/admin/users/1%20or%201=1/unlock').expect(404);
  });

  it('refuses a form without its token, or with another session’s token (R13)', async () => {
    const target = await createStaff(database.db, ['intake']);
    await agent.post(`/staff/admin/users/${target.id}/disable`).type('form').send({}).expect(403);
    const other = await signIn(app, await createStaff(database.db, ['board']));
    await agent
      .post(`/staff/admin/users/${target.id}/disable`)
      .type('form')
      .send({ _csrf: await tokenFrom(other) })
      .expect(403);
    await agent
      .post('/staff/admin/users')
      .type('form')
      .send({ email: 'csrf@example.org', displayName: 'C', language: 'en' })
      .expect(403);
    expect((await userRow(target.id)).disabled_at).to.equal(null);
    expect(
      await database.db.selectFrom('users').where('email', '=', 'csrf@example.org').selectAll().execute(),
    ).to.deep.equal([]);
  });

  it('disabling a signed-in user sends their very next request to sign in; enabling lets them back', async () => {
    const target = await createStaff(database.db, ['intake']);
    const theirs = await signIn(app, target);
    await theirs.get('/staff/account').expect(200);
    await post(`/staff/admin/users/${target.id}/disable`).expect(303);
    const next = await theirs.get('/staff/account').expect(303);
    expect(next.headers['location']).to.match(/^\/staff\/sign-in/);
    expect(
      await database.db.selectFrom('sessions').where('user_id', '=', target.id).selectAll().execute(),
    ).to.deep.equal([]);
    const refused = request.agent(app);
    const signInToken = csrfOf((await refused.get('/staff/sign-in')).text);
    await refused
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: signInToken, email: target.email, password: target.password })
      .expect(401);
    expect(await events('user.disable', target.id)).to.have.length(1);
    expect((await agent.get('/staff/admin/users')).text).to.contain('Disabled');

    await post(`/staff/admin/users/${target.id}/enable`).expect(303);
    await (await signIn(app, target)).get('/staff/account').expect(200);
    expect(await events('user.enable', target.id)).to.have.length(1);
  });

  it('a removed role counts from the next request, and each role change is audited', async () => {
    const other = await createAdmin(services, database.db, ['admin', 'board']);
    const theirs = await signInAdminAs(app, database.db, other);
    await theirs.get('/staff/admin/users').expect(200);
    await post(`/staff/admin/users/${other.id}`, {
      displayName: 'Renamed Admin',
      language: 'es',
      roles: ['board', 'intake'],
    }).expect(303);
    await theirs.get('/staff/admin/users').expect(404);
    expect(await rolesOf(other.id)).to.deep.equal(['board', 'intake']);
    const row = await userRow(other.id);
    expect([row.display_name, row.language]).to.deep.equal(['Renamed Admin', 'es']);
    expect((await events('user.role.revoke', other.id)).map((e) => e.details)).to.deep.equal([{ role: 'admin' }]);
    expect((await events('user.role.grant', other.id)).map((e) => e.details)).to.deep.equal([{ role: 'intake' }]);
    expect((await events('user.update', other.id)).map((e) => e.details)).to.deep.equal([
      { fields: ['display_name', 'language'] },
    ]);
    // Saving the same again changes nothing and records nothing.
    await post(`/staff/admin/users/${other.id}`, {
      displayName: 'Renamed Admin',
      language: 'es',
      roles: ['board', 'intake'],
    }).expect(303);
    expect(await events('user.update', other.id)).to.have.length(1);
  });

  it('an admin cannot disable themselves, remove their own admin role or their own two-step sign-in', async () => {
    const self = await post(`/staff/admin/users/${admin.id}/disable`).expect(400);
    expect(summaryOf(self.text)).to.deep.equal(['You cannot disable your own account. Ask another administrator']);
    expect(self.text).to.contain('href="#field-disable"').and.to.contain('id="field-disable"');
    const demote = await post(`/staff/admin/users/${admin.id}`, {
      displayName: 'Me',
      language: 'en',
      roles: ['intake'],
    }).expect(400);
    expect(demote.text).to.contain('href="#field-roles"').and.to.contain('remove your own administrator role');
    const twoStep = await post(`/staff/admin/users/${admin.id}/two-step/remove`).expect(400);
    expect(twoStep.text).to.contain('href="#field-twoStep"').and.to.contain('id="field-twoStep"');
    const row = await userRow(admin.id);
    expect(row.disabled_at).to.equal(null);
    expect(row.totp_secret).to.not.equal(null);
    expect(await rolesOf(admin.id)).to.deep.equal(['admin']);
    await agent.get('/staff/admin').expect(200);
  });

  it('sends a password link, removes a lost two-step sign-in, and unlocks an account, each audited', async () => {
    const other = await createAdmin(services, database.db, ['admin']);
    const theirs = await signInAdminAs(app, database.db, other);
    await post(`/staff/admin/users/${other.id}/password-link`).expect(303);
    const links = await database.db.selectFrom('outbox').selectAll().where('recipient', '=', other.email).execute();
    expect(links.map((m) => m.template)).to.deep.equal(['passwordLink']);
    expect(await events('user.password.link', other.id)).to.have.length(1);

    await post(`/staff/admin/users/${other.id}/two-step/remove`).expect(303);
    expect((await userRow(other.id)).totp_secret).to.equal(null);
    expect((await theirs.get('/staff/admin/users')).status).to.equal(303);
    expect(await events('user.mfa.reset', other.id)).to.have.length(1);

    // Five wrong passwords from this client lock it out of the account, even with the right one.
    const tryPassword = async (password: string) => {
      const guesser = request.agent(app);
      const token = await signInPage(guesser);
      return guesser.post('/staff/sign-in').type('form').send({ _csrf: token, email: other.email, password });
    };
    for (let i = 0; i < 5; i++) expect((await tryPassword(`wrong password ${i}`)).status).to.equal(401);
    expect((await tryPassword(other.password)).status).to.equal(401);
    const page = await agent.get(`/staff/admin/users/${other.id}`).expect(200);
    expect(page.text).to.contain(`/staff/admin/users/${other.id}/unlock`);
    await post(`/staff/admin/users/${other.id}/unlock`).expect(303);
    const row = await userRow(other.id);
    expect([row.failed_logins, row.locked_until]).to.deep.equal([0, null]);
    expect((await tryPassword(other.password)).status).to.equal(303);
    expect(await events('user.unlock', other.id)).to.have.length(1);
  });
});

describe('administration: deadline policy, holidays and email problems (R24, R27)', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let admin: TestAdmin;
  let agent: Agent;
  let csrf: string;
  let complaintId: string;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    ({ admin, agent } = await signInAdmin(app, services, database.db));
    csrf = await tokenFrom(agent, '/staff/admin');
    ({ id: complaintId } = await database.db
      .insertInto('complaints')
      .values({
        tracking_number: 'OC-ADMN-2345',
        access_code_hash: 'h',
        snapshot: '{}',
        machine_version: 1,
        stage: 'intake',
        state: 'intake.review',
        language: 'en',
        channel: 'web',
        narrative: 'n',
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  });

  const post = (path: string, fields: Record<string, unknown> = {}) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...fields });
  const events = (type: string) =>
    database.db.selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();
  /** Starts a clock of this kind from a fixed day, and gives its last day in the agency's zone. */
  const startClock = async (kind: 'acknowledge' | 'triage', at: string) => {
    await database.db
      .transaction()
      .execute((trx) => services.deadlines.start(trx, complaintId, [{ kind, from: new Date(at) }], new Date(at)));
    const row = await database.db
      .selectFrom('deadlines')
      .selectAll()
      .where('complaint_id', '=', complaintId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await database.db.deleteFrom('deadlines').execute();
    return row;
  };
  const days = (row: { starts_at: Date; due_at: Date }) =>
    Math.round((row.due_at.getTime() - row.starts_at.getTime()) / 86_400_000);

  it('lists every clock with its policy, and a change counts from the next clock on', async () => {
    const list = await agent.get('/staff/admin/deadlines').expect(200);
    for (const name of ['Acknowledge the complaint', 'Triage', 'Investigation', 'Statutory limit'])
      expect(list.text).to.contain(name);
    expect(list.text).to.contain('Clocks already running keep their due dates');
    const before = await startClock('triage', '2027-03-15T18:00:00Z');
    expect(days(before)).to.be.within(30, 31);

    await post('/staff/admin/deadlines/triage', { amount: '10', unit: 'calendar_days', warnBeforeDays: '2' }).expect(
      303,
    );
    const stored = await database.db.selectFrom('deadline_policies').selectAll().execute();
    expect(stored.map((p) => [p.kind, p.amount, p.unit, p.warn_before_days, p.statutory])).to.deep.equal([
      ['triage', 10, 'calendar_days', 2, false],
    ]);
    const [change] = await events('deadline.policy.change');
    expect(change!.actor_id).to.equal(admin.id);
    expect(change!.object_id).to.equal('triage');
    expect(change!.details).to.deep.include({ oldAmount: 30, oldUnit: 'calendar_days', newAmount: 10 });
    expect(days(await startClock('triage', '2027-03-15T18:00:00Z'))).to.be.within(10, 11);
    expect((await agent.get('/staff/admin/deadlines/triage').expect(200)).text).to.contain('value="10"');

    const statutory = await agent.get('/staff/admin/deadlines/statutory').expect(200);
    expect(statutory.text).to.contain('set by law');
    await agent.get('/staff/admin/deadlines/weeks').expect(404);
  });

  it('refuses a policy out of range or an unknown unit, changing nothing', async () => {
    const bad = await post('/staff/admin/deadlines/acknowledge', {
      amount: '0',
      unit: 'weeks',
      warnBeforeDays: '366',
    }).expect(400);
    expect(errorsOf(bad.text)).to.deep.equal([
      'Enter a whole number from 1 to 1000',
      'Choose business days, calendar days or months',
      'Enter a whole number from 0 to 365',
    ]);
    expect(bad.text).to.contain('value="0"');
    await post('/staff/admin/deadlines/acknowledge', { amount: '1001', unit: 'months', warnBeforeDays: '1' }).expect(
      400,
    );
    await post('/staff/admin/deadlines/acknowledge', { amount: '2.5', unit: 'months', warnBeforeDays: '-1' }).expect(
      400,
    );
    const rows = await database.db.selectFrom('deadline_policies').selectAll().where('kind', '=', 'acknowledge');
    expect(await rows.execute()).to.deep.equal([]);
  });

  it('adds and removes holidays, which the next business-day clock skips', async () => {
    const plain = await startClock('acknowledge', '2027-03-15T18:00:00Z');
    await post('/staff/admin/holidays', { day: '2027-03-17', name: 'Founders day' }).expect(303);
    expect(await database.db.selectFrom('holidays').selectAll().execute()).to.deep.equal([
      { day: '2027-03-17', name: 'Founders day', source: 'admin' },
    ]);
    const skipped = await startClock('acknowledge', '2027-03-15T18:00:00Z');
    expect(days(skipped) - days(plain)).to.equal(1);
    const [added] = await events('holiday.add');
    expect([added!.object_id, added!.actor_id]).to.deep.equal(['2027-03-17', admin.id]);

    await post('/staff/admin/holidays', { day: '2020-01-02', name: 'Past closure' }).expect(303);
    const page = await agent.get('/staff/admin/holidays').expect(200);
    expect(page.text.indexOf('Founders day')).to.be.lessThan(page.text.indexOf('Past closure'));
    expect(page.text).to.contain('Wednesday, March 17, 2027');
    const year = await agent.get('/staff/admin/holidays?year=2020').expect(200);
    expect(year.text).to.contain('Past closure').and.not.to.contain('Founders day');
    await agent.get('/staff/admin/holidays?year=nonsense&other=1').expect(200);

    const twice = await post('/staff/admin/holidays', { day: '2027-03-17', name: 'Again' }).expect(400);
    expect(errorsOf(twice.text)).to.deep.equal(['That day is already a holiday']);
    const bad = await post('/staff/admin/holidays', { day: '2027-02-30', name: 'x'.repeat(201) }).expect(400);
    expect(errorsOf(bad.text)).to.deep.equal([
      'Enter a real date, for example 2026-12-24',
      'Enter a name of 200 characters or fewer',
    ]);
    await post('/staff/admin/holidays', { day: '', name: '' }).expect(400);
    await post('/staff/admin/holidays', { day: '0000-01-01', name: 'Year zero' }).expect(400);

    await post('/staff/admin/holidays/2027-03-17/remove').expect(303);
    await post('/staff/admin/holidays/2027-03-17/remove').expect(303);
    await post('/staff/admin/holidays/2027-13-45/remove').expect(404);
    await post('/staff/admin/holidays/yesterday/remove').expect(404);
    expect((await events('holiday.remove')).map((e) => e.object_id)).to.deep.equal(['2027-03-17']);
    expect(days(await startClock('acknowledge', '2027-03-15T18:00:00Z'))).to.equal(days(plain));
  });

  it('lists dead letters with the address masked, and retries one once', async () => {
    const dead = async (recipient: string) =>
      (
        await database.db
          .insertInto('outbox')
          .values({
            recipient,
            template: 'deadlineWarning',
            language: 'en',
            data: '{}',
            status: 'dead',
            attempts: 3,
            last_error: 'SMTP 550',
            next_attempt_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const id = await dead('jane.doe@example.org');
    await dead('raul@example.net');
    const home = await agent.get('/staff/admin').expect(200);
    expect(home.text).to.contain('Emails that could not be sent: 2');
    const page = await agent.get('/staff/admin/outbox').expect(200);
    expect(page.text).to.contain('j•••@example.org').and.to.contain('r•••@example.net');
    expect(page.text).to.contain('Deadline warning').and.to.contain('SMTP 550');
    expect(page.text).not.to.contain('jane.doe');

    await post(`/staff/admin/outbox/${id}/retry`).expect(303);
    const row = await database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.status, row.attempts]).to.deep.equal(['pending', 0]);
    expect(row.next_attempt_at.getTime()).to.be.at.most(Date.now());
    await post(`/staff/admin/outbox/${id}/retry`).expect(303);
    const retries = await events('outbox.retry');
    expect(retries.map((e) => [e.object_id, e.details])).to.deep.equal([[id, { template: 'deadlineWarning' }]]);
    await post('/staff/admin/outbox/not-an-id/retry').expect(404);
    expect((await agent.get('/staff/admin/outbox').expect(200)).text).not.to.contain('j•••@example.org');
  });
});
