import { expect } from 'chai';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf } from '../support/resident.js';
import { createStaff, sessionCookie, signIn, signInPage, STAFF_PASSWORD } from '../support/staff.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { services as buildServices } from '../../server/compose.js';
import { createApp } from '../../server/app.js';
import { silentLogger } from '../support/logger.js';
import { createAdmin, signInAdminAs } from '../support/admin.js';
import { newTotpSecret, totpCode } from '../../server/platform/security/totp.js';
import { passwordProblem } from '../../server/platform/security/passwordPolicy.js';
import { SESSION_IDLE_MS, SESSION_LIFETIME_MS } from '../../server/features/accounts/session.service.js';

/** The app with a clock the test moves. */
function clockedApp(handle: Parameters<typeof testApp>[0], env: Record<string, string> = {}) {
  let offset = 0;
  const config = testConfig(env);
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

const auditCount = async (db: ReturnType<typeof useDatabase>['db'], type: string) =>
  (await db.selectFrom('audit_events').select('id').where('event_type', '=', type).execute()).length;

describe('staff sign-in (R7–R13)', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];

  before(() => {
    ({ app, services } = testApp(database.handle));
  });

  const attempt = async (email: string, password: string) => {
    const agent = request.agent(app);
    const token = await signInPage(agent);
    return agent.post('/staff/sign-in').type('form').send({ _csrf: token, email, password });
  };
  /** The page without its per-session parts (form tokens), for comparing two answers. */
  const comparable = (html: string) =>
    html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/value="[^"]*@[^"]*"/g, '');

  it('starts each person where their work is: the queue, the board, or two-step set-up for an admin (#17 item 11)', async () => {
    const landing = async (roles: Parameters<typeof createStaff>[1]) => {
      const agent = await signIn(app, await createStaff(database.db, roles));
      return (await agent.get('/staff').expect(303)).headers['location'];
    };
    expect(await landing(['intake'])).to.equal('/staff/cases');
    expect(await landing(['investigator'])).to.equal('/staff/cases');
    expect(await landing(['board'])).to.equal('/staff/board');
    expect(await landing(['board', 'supervisor'])).to.equal('/staff/cases');
    // An admin without a second factor in this session: nothing is theirs until they set one up.
    expect(await landing(['admin'])).to.equal('/staff/account/two-factor');
    // With it, at the administration: organising board meetings is part of an admin's work, not its start.
    const admin = await signInAdminAs(app, database.db, await createAdmin(services, database.db));
    expect((await admin.get('/staff').expect(303)).headers['location']).to.equal('/staff/admin');
  });
  it('signs in with the right password and rotates the session id (R11)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const agent = request.agent(app);
    const page = await agent.get('/staff/sign-in').expect(200);
    const before = sessionCookie(page);
    expect(before).to.be.a('string');
    const res = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: staff.email, password: STAFF_PASSWORD });
    expect(res.status).to.equal(303);
    const after = sessionCookie(res);
    expect(after).to.be.a('string').and.not.equal(before);
    expect(String(res.headers['set-cookie']))
      .to.match(/HttpOnly/i)
      .and.to.match(/SameSite=Lax/i);
    await agent.get('/staff/account').expect(200);
    expect(await auditCount(database.db, 'auth.signin')).to.be.greaterThan(0);
  });

  it('answers an unknown email and a wrong password the same way (R10)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const unknown = await attempt('nobody-here@example.org', 'some password at all');
    const wrong = await attempt(staff.email, 'some password at all');
    expect(unknown.status).to.equal(401);
    expect(wrong.status).to.equal(401);
    expect(comparable(unknown.text)).to.equal(comparable(wrong.text));
    expect(errorsOf(wrong.text)).to.have.length(1);
  });

  it('locks an account after five failures, even for the right password, and says nothing different (R7)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    for (let i = 0; i < 5; i++) expect((await attempt(staff.email, `wrong password ${i}`)).status).to.equal(401);
    const locked = await attempt(staff.email, STAFF_PASSWORD);
    expect(locked.status).to.equal(401);
    const wrong = await attempt('nobody-else@example.org', 'x');
    expect(comparable(locked.text)).to.equal(comparable(wrong.text));
    expect(await auditCount(database.db, 'auth.lockout')).to.be.greaterThan(0);
    const row = await database.db
      .selectFrom('users')
      .select('locked_until')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_until!.getTime() - Date.now()).to.be.greaterThan(10 * 60 * 1000);
  });

  it('a forged X-Forwarded-For does not escape the lockout (R7)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    for (let i = 0; i < 6; i++) {
      const agent = request.agent(app);
      const token = await signInPage(agent);
      await agent
        .post('/staff/sign-in')
        .set('X-Forwarded-For', `10.0.0.${i}`)
        .type('form')
        .send({ _csrf: token, email: staff.email, password: 'nope nope nope' });
    }
    const agent = request.agent(app);
    const token = await signInPage(agent);
    const res = await agent
      .post('/staff/sign-in')
      .set('X-Forwarded-For', '10.9.9.9')
      .type('form')
      .send({ _csrf: token, email: staff.email, password: STAFF_PASSWORD });
    expect(res.status).to.equal(401);
  });

  it('refuses a form without its token, and one from another session (R13)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const agent = request.agent(app);
    await signInPage(agent);
    const none = await agent.post('/staff/sign-in').type('form').send({ email: staff.email, password: STAFF_PASSWORD });
    expect(none.status).to.equal(403);
    const other = await signInPage(request.agent(app));
    const foreign = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: other, email: staff.email, password: STAFF_PASSWORD });
    expect(foreign.status).to.equal(403);
    const signedIn = await signIn(app, staff);
    const noteless = await signedIn.post('/staff/sign-out').type('form').send({});
    expect(noteless.status).to.equal(403);
  });

  it('sign-out destroys the session on the server (R12)', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    const page = await agent.get('/staff/account').expect(200);
    const cookie = sessionCookie(await agent.get('/staff/account'))!;
    await agent
      .post('/staff/sign-out')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    // The old cookie, replayed by anyone who kept it, no longer works.
    const replay = await request(app).get('/staff/account').set('Cookie', cookie);
    expect(replay.status).to.equal(303);
    expect(replay.headers['location']).to.match(/^\/staff\/sign-in/);
  });

  it('a disabled user is out on their next request, and a removed role counts at once (R12)', async () => {
    const staff = await createStaff(database.db, ['intake', 'supervisor']);
    const agent = await signIn(app, staff);
    await agent.get('/staff/account').expect(200);
    await database.db
      .deleteFrom('user_roles')
      .where('user_id', '=', staff.id)
      .where('role', '=', 'supervisor')
      .execute();
    const account = await agent.get('/staff/account').expect(200);
    expect(account.text).not.to.contain('Supervisor');
    await database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', staff.id).execute();
    const res = await agent.get('/staff/account');
    expect(res.status).to.equal(303);
    expect(res.headers['location']).to.match(/^\/staff\/sign-in/);
  });

  it('a TOTP code works once, and a wrong code counts as a failure (R9)', async () => {
    const staff = await createStaff(database.db, ['admin', 'intake']);
    const secret = newTotpSecret();
    const user = (await services.auth.principal(staff.id))!;
    expect(await services.auth.confirmEnrolment(user, secret, totpCode(secret, new Date()))).to.equal(true);
    const next = totpCode(secret, new Date(Date.now() + 30_000));
    const signInWithCode = async (code: string) => {
      const agent = request.agent(app);
      const token = await signInPage(agent);
      const first = await agent
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: token, email: staff.email, password: STAFF_PASSWORD });
      expect(first.status).to.equal(303);
      expect(first.headers['location']).to.match(/^\/staff\/sign-in\/code/);
      // Not signed in yet: the password alone is not enough.
      expect((await agent.get('/staff/account')).status).to.equal(303);
      const codePage = await agent.get('/staff/sign-in/code').expect(200);
      const res = await agent
        .post('/staff/sign-in/code')
        .type('form')
        .send({ _csrf: csrfOf(codePage.text), code });
      return { agent, res };
    };
    const used = await signInWithCode(next);
    expect(used.res.status).to.equal(303);
    await used.agent.get('/staff/admin').expect((r) => expect(r.status).not.to.equal(303));
    const again = await signInWithCode(next);
    expect(again.res.status).to.equal(401);
    const wrong = await signInWithCode('123456');
    expect(wrong.res.status).to.equal(401);
    const row = await database.db
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).to.equal(2);
  });

  it('an admin without two-step sign-in is sent to set it up, and enrols with a code', async () => {
    const staff = await createStaff(database.db, ['admin']);
    const agent = await signIn(app, staff);
    const admin = await agent.get('/staff/admin');
    expect(admin.status).to.equal(303);
    expect(admin.headers['location']).to.equal('/staff/account/two-factor');
    const page = await agent.get('/staff/account/two-factor').expect(200);
    expect(page.text).to.contain('data:image/svg+xml;base64,');
    const key = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '');
    const bad = await agent
      .post('/staff/account/two-factor')
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: '000000' });
    expect(bad.status).to.equal(400);
    await agent
      .post('/staff/account/two-factor')
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: totpCode(key, new Date()) })
      .expect(303);
    const row = await database.db
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).to.match(/^v1\./).and.not.contain(key);
    expect((await agent.get('/staff/admin')).status).not.to.equal(303);
  });

  it("changing one's password needs the current one, keeps the rules of R8, and ends other sessions", async () => {
    const staff = await createStaff(database.db, ['intake']);
    const elsewhere = await signIn(app, staff);
    const agent = await signIn(app, staff);
    const page = await agent.get('/staff/account/password').expect(200);
    const post = (fields: Record<string, string>) =>
      agent
        .post('/staff/account/password')
        .type('form')
        .send({ _csrf: csrfOf(page.text), ...fields });
    expect(
      (await post({ current: 'wrong', password: 'a long new passphrase', confirm: 'a long new passphrase' })).status,
    ).to.equal(400);
    expect(
      (await post({ current: STAFF_PASSWORD, password: 'password1234', confirm: 'password1234' })).status,
    ).to.equal(400);
    expect((await post({ current: STAFF_PASSWORD, password: 'short', confirm: 'short' })).status).to.equal(400);
    expect(
      (await post({ current: STAFF_PASSWORD, password: 'a long new passphrase', confirm: 'another one' })).status,
    ).to.equal(400);
    expect(
      (await post({ current: STAFF_PASSWORD, password: 'a long new passphrase', confirm: 'a long new passphrase' }))
        .status,
    ).to.equal(303);
    await agent.get('/staff/account').expect(200);
    expect((await elsewhere.get('/staff/account')).status).to.equal(303);
  });

  it("the password rules: length, common passwords, the person's own name (R8)", () => {
    expect(passwordProblem('elevenchars')).to.equal('tooShort');
    expect(passwordProblem('x'.repeat(129))).to.equal('tooLong');
    expect(passwordProblem('qwertyuiopasdfgh')).to.equal(undefined);
    expect(passwordProblem('1qaz2wsx3edc')).to.equal('common');
    expect(passwordProblem('password1234!')).to.equal('common');
    expect(passwordProblem('aaaaaaaaaaaaaaa')).to.equal('common');
    expect(passwordProblem('quetzalia2024!', { email: 'quetzalia@example.org' })).to.equal('personal');
    expect(passwordProblem('a quiet river at dawn')).to.equal(undefined);
    // 64 characters and more are accepted, with no 72-byte cut (scrypt).
    expect(passwordProblem('canción de otoño junto al río '.repeat(4))).to.equal(undefined);
  });

  it('a one-time password link sets the password once, then no more', async () => {
    const staff = await createStaff(database.db, ['intake']);
    await database.db
      .transaction()
      .execute((trx) =>
        services.auth.issuePasswordLink(trx, { id: staff.id, email: staff.email, language: 'en' }, null),
      );
    const mail = await database.db
      .selectFrom('outbox')
      .select(['data', 'recipient'])
      .where('template', '=', 'passwordLink')
      .executeTakeFirstOrThrow();
    expect(mail.recipient).to.equal(staff.email);
    const link = new URL((mail.data as { link: string }).link);
    const agent = request.agent(app);
    const page = await agent.get(link.pathname).expect(200);
    const weak = await agent
      .post(link.pathname)
      .type('form')
      .send({ _csrf: csrfOf(page.text), password: 'password1234', confirm: 'password1234' });
    expect(weak.status).to.equal(400);
    await agent
      .post(link.pathname)
      .type('form')
      .send({ _csrf: csrfOf(page.text), password: 'a brand new passphrase', confirm: 'a brand new passphrase' })
      .expect(303);
    await signIn(app, { email: staff.email, password: 'a brand new passphrase' });
    await request(app).get(link.pathname).expect(410);
    await request(app).get('/staff/password/not-a-token').expect(410);
  });
});

describe('staff session lifetimes with a moving clock (R12)', () => {
  const database = useDatabase();

  it('ends a session after 30 idle minutes', async () => {
    const { app, advance } = clockedApp(database.handle);
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    advance(SESSION_IDLE_MS - 60_000);
    await agent.get('/staff/account').expect(200);
    advance(SESSION_IDLE_MS - 60_000);
    await agent.get('/staff/account').expect(200);
    advance(SESSION_IDLE_MS + 1000);
    expect((await agent.get('/staff/account')).status).to.equal(303);
  });

  it('ends a busy session 12 hours after sign-in', async () => {
    const { app, advance } = clockedApp(database.handle);
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    for (let elapsed = 0; elapsed < SESSION_LIFETIME_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      advance(20 * 60_000);
      await agent.get('/staff/account').expect(200);
    }
    advance(25 * 60_000);
    expect((await agent.get('/staff/account')).status).to.equal(303);
  });
});

describe('guessing passwords slows down but never keeps the holder out (R7)', () => {
  const database = useDatabase();
  let clocked: ReturnType<typeof clockedApp>;
  let client = 0;

  before(() => {
    // Behind a proxy, each client is told apart by X-Forwarded-For.
    clocked = clockedApp(database.handle, { TRUST_PROXY: 'true' });
  });

  /** A sign-in from its own address (or a given one); the response of the password step. */
  const from = (address = `203.0.113.${++client}`) => {
    const agent = request.agent(clocked.app).set('X-Forwarded-For', address);
    return {
      agent,
      async signIn(email: string, password: string) {
        const token = await signInPage(agent);
        return agent.post('/staff/sign-in').type('form').send({ _csrf: token, email, password });
      },
    };
  };
  const lockouts = async (userId: string) =>
    (
      await database.db
        .selectFrom('audit_events')
        .select('id')
        .where('event_type', '=', 'auth.lockout')
        .where('actor_id', '=', userId)
        .execute()
    ).length;

  it('locks out the client that failed five times, not the admin with the right password elsewhere', async () => {
    const admin = await createStaff(database.db, ['admin']);
    const secret = newTotpSecret();
    const user = (await clocked.services.auth.principal(admin.id))!;
    expect(await clocked.services.auth.confirmEnrolment(user, secret, totpCode(secret, new Date()))).to.equal(true);
    const attacker = from();
    for (let i = 0; i < 5; i++) expect((await attacker.signIn(admin.email, `wrong guess ${i}`)).status).to.equal(401);
    expect((await attacker.signIn(admin.email, STAFF_PASSWORD)).status).to.equal(401);
    expect(await lockouts(admin.id)).to.equal(1);

    const holder = from();
    const first = await holder.signIn(admin.email, STAFF_PASSWORD);
    expect(first.status).to.equal(303);
    expect(first.headers['location']).to.match(/^\/staff\/sign-in\/code/);
    const codePage = await holder.agent.get('/staff/sign-in/code').expect(200);
    clocked.advance(60_000); // a time step the enrolment did not use
    const code = totpCode(secret, new Date(Date.now() + 60_000));
    await holder.agent
      .post('/staff/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(codePage.text), code })
      .expect(303);
    await holder.agent.get('/staff/admin').expect((r) => expect(r.status).to.equal(200));
    // The holder's success lifts nothing for the attacker.
    expect((await attacker.signIn(admin.email, STAFF_PASSWORD)).status).to.equal(401);
  });

  it('a lock lasts 15 minutes from the fifth failure and does not extend on failures while it holds', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const address = `203.0.113.${++client}`;
    for (let i = 0; i < 5; i++) await from(address).signIn(staff.email, `wrong guess ${i}`);
    clocked.advance(10 * 60_000);
    expect((await from(address).signIn(staff.email, 'one more wrong guess')).status).to.equal(401);
    expect((await from(address).signIn(staff.email, STAFF_PASSWORD)).status).to.equal(401);
    clocked.advance(5 * 60_000 + 1000);
    expect((await from(address).signIn(staff.email, STAFF_PASSWORD)).status).to.equal(303);
    expect(await lockouts(staff.id)).to.equal(1);
  });

  it('failures from many clients slow every attempt on the account but never refuse the right password', async () => {
    const staff = await createStaff(database.db, ['intake']);
    for (let i = 0; i < 11; i++) expect((await from().signIn(staff.email, `spray ${i}`)).status).to.equal(401);
    const started = Date.now();
    expect((await from().signIn(staff.email, STAFF_PASSWORD)).status).to.equal(303);
    expect(Date.now() - started).to.be.at.least(400); // two failures past the ten: 500 ms
  });

  it('judges passwords sent together against the limit: of 28 wrong and the right one, at most five are checked', async () => {
    const staff = await createStaff(database.db, ['intake']);
    const address = `203.0.113.${++client}`;
    const passwords = [...Array.from({ length: 28 }, (_, i) => `wrong guess ${i}`), STAFF_PASSWORD];
    const answers = await Promise.all(passwords.map((password) => from(address).signIn(staff.email, password)));
    const steps = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'auth.signin')
      .where('actor_id', '=', staff.id)
      .where('outcome', '=', 'failure')
      .execute();
    const checked = steps.filter((row) => (row.details as { step: string }).step === 'password').length;
    const signedIn = answers.filter((res) => res.status === 303).length;
    expect(checked + signedIn).to.be.at.most(5);
    expect(steps.length + signedIn).to.equal(29);
  });
});

describe('a moment of overload does not sign anyone out (#18)', () => {
  const database = useDatabase();

  it('a session that fails to load answers 503 once, and the person is still signed in afterwards', async () => {
    let failNext = false;
    const { app } = testApp(database.handle, {
      override: (base) => ({
        sessions: {
          ...base.sessions,
          get: (id: string) => {
            if (!failNext) return base.sessions.get(id);
            failNext = false;
            return Promise.reject(Object.assign(new Error('timeout exceeded when trying to connect'), {}));
          },
        },
      }),
    });
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    await agent.get('/staff/cases').expect(200);
    failNext = true;
    const busy = await agent.get('/staff/cases');
    expect(busy.status).to.equal(503);
    await agent.get('/staff/cases').expect(200);
  });
});
