import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Express } from 'express';
import { sql } from 'kysely';
import request from 'supertest';
import type { Config } from '../../server/platform/config.js';
import { STEPS } from '../../server/features/residents/complaintForm.steps.js';
import { STAFF_EVENTS } from '../../server/features/cases/caseFile.schemas.js';
import type { Services } from '../../server/compose.js';
import { DEADLINE_KINDS } from '../../workflows/complaint.machine.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import { createAdmin, signInAdminAs, type TestAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { pdf } from '../support/evidenceFixtures.js';
import { csrfOf, startForm, type Agent } from '../support/resident.js';
import { changedTables, fingerprint, paramsOf, routeTable, type RouteEntry } from '../support/routes.js';
import { createStaff, signIn, tokenFrom } from '../support/staff.js';

/**
 * R13 over the whole app: the POST routes are read from Express's own router stacks, so a route
 * added later is in the sweep without anyone listing it here. Each is sent without its form token,
 * and with another session's, as form fields and as multipart, by someone who may use it; each
 * answer must be 403 and nothing may change. Then every GET page is opened, and nothing may
 * change but the audit trail of reads (R1).
 */

/** The route table, read once when the file loads (the app is built on a database that never connects). */
const ROUTES = routeTable();
const POSTS = ROUTES.filter((r) => r.method === 'POST');
const GETS = ROUTES.filter((r) => r.method === 'GET');

/** Bearer-token JSON APIs, not forms a browser posts with cookies: no form token by design. */
const isApi = (route: string) => route.startsWith('/api/');
const isStaff = (route: string) => route === '/staff' || route.startsWith('/staff/');
const isResident = (route: string) => /^\/(complaint|status|survey|community-survey)(\/|$)/.test(route);

/**
 * Resident POSTs that take no form token, each for a reason: there is nothing yet to bind a token
 * to. Anything else without a token check fails the sweep.
 */
const TOKENLESS: Record<string, string> = {
  'POST /complaint/start': 'begins a draft: the draft secret that a token is bound to does not exist yet',
  'POST /status': 'the lookup itself: the tracking number and access code are the credential; no case pass yet',
};

/** A multipart POST to these reads its file field before it checks the token. */
const FILE_FIELD: Record<string, string> = {
  '/staff/cases/:id/evidence': 'evidence',
  '/staff/officers/import': 'file',
  '/complaint/evidence': 'evidence',
  '/status/add-information': 'evidence',
};

/** Reads of a complaint, its evidence, officers or the audit log: audited on every GET (R1), so allowed to add rows. */
const AUDITED_READS = new Set([
  'case.read',
  'officer.read',
  'evidence.download',
  'audit.view',
  'audit.export',
  'retention.review',
  'earlyIntervention.read',
  'department_response.read',
  'release.view',
]);

const FORM_EXPIRED = ['This form has expired', 'Este formulario ya venció'];

const ALL_ROLES = ['admin', 'intake', 'investigator', 'supervisor', 'board'] as const;

interface Ids {
  caseId: string;
  allegationId: string;
  fileId: string;
  userId: string;
  officerId: string;
  meetingId: string;
  itemId: string;
  outboxId: string;
  tokenId: string;
  passwordLink: string;
  survey: string;
  /** A decided case with a sustained allegation (the department's response, #19). */
  sustainedCaseId: string;
  /** A policy recommendation, and its public reference (#19). */
  recommendationId: string;
  recommendationReference: string;
  trustWave: string;
  releaseId: string;
}

/** The concrete paths for a route pattern: each parameter filled with a real id of the demo agency. */
function concrete(route: RouteEntry, ids: Ids): string[] {
  const p = route.path;
  const values: Record<string, () => string[]> = {
    id: () => {
      if (p.startsWith('/staff/cases/') || p.startsWith('/api/v1/cases/')) return [ids.caseId];
      if (p.startsWith('/staff/admin/users/')) return [ids.userId];
      if (p.startsWith('/staff/responses/')) return [ids.sustainedCaseId];
      if (p.startsWith('/staff/recommendations/')) return [ids.recommendationId];
      if (p.startsWith('/staff/officers/')) return [ids.officerId];
      if (p.startsWith('/staff/board/meetings/') || p.startsWith('/board/meetings/')) return [ids.meetingId];
      if (p.startsWith('/staff/admin/outbox/')) return [ids.outboxId];
      if (p.startsWith('/staff/admin/tokens/') || p.startsWith('/staff/account/tokens/')) return [ids.tokenId];
      if (p.startsWith('/staff/admin/trust-surveys/')) return [ids.trustWave];
      if (p.startsWith('/staff/releases/')) return [ids.releaseId];
      if (p.startsWith('/dev/mail/')) return ['00000000-0000-4000-8000-000000000000'];
      throw new Error(`no id for ${p}`);
    },
    allegationId: () => [ids.allegationId],
    fileId: () => [ids.fileId],
    itemId: () => [ids.itemId],
    event: () => [...STAFF_EVENTS],
    // POST /complaint/evidence is its own route, matched before /complaint/:step.
    step: () => STEPS.filter((s) => route.method === 'GET' || s !== 'evidence'),
    kind: () => [DEADLINE_KINDS[0]],
    day: () => ['2026-11-26'],
    token: () => {
      if (p.startsWith('/staff/password/')) return [ids.passwordLink];
      if (p.startsWith('/survey/')) return [ids.survey];
      throw new Error(`no token for ${p}`);
    },
    year: () => [String(new Date().getFullYear() - 1)],
    reference: () => [ids.recommendationReference],
    wave: () => [ids.trustWave],
  };
  let paths = [p];
  for (const name of paramsOf(p)) {
    const fill = values[name];
    if (!fill) throw new Error(`the sweep has no value for :${name} in ${route.method} ${p}: add one`);
    paths = paths.flatMap((path) => fill().map((v) => path.replace(`:${name}`, encodeURIComponent(v))));
  }
  return paths;
}

const filesUnder = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : 1),
    0,
  );

describe('R13: the form token on every state-changing form, and GET never changes state', function () {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  let config: Config;
  let ids: Ids;
  /** All staff roles, second factor passed: every staff route is theirs to use. */
  let boss: { admin: TestAdmin; agent: Agent; token: string };
  /** Tokens of other sessions: another member of staff, another draft, another case pass, another survey link. */
  const foreign = { staff: '', draft: '', case: '', survey: '', trust: '' };
  /** A browser holding its one-time token for the demo's open community survey wave. */
  let trustBrowser: Agent;
  let draft: { agent: Agent; token: string };
  let resident: { agent: Agent; token: string; complaintId: string };
  let bearer: string;

  const fileByApi = async (email: string) => {
    const res = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'The officer shouted at me.',
        about: { filing: 'self', name: 'Sweep Resident', email, preferredContact: 'email' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const codes = res.body as { trackingNumber: string; accessCode: string };
    const row = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', codes.trackingNumber)
      .executeTakeFirstOrThrow();
    return { ...codes, id: row.id };
  };
  const openCase = async (codes: { trackingNumber: string; accessCode: string }) => {
    const agent = request.agent(app);
    await agent
      .post('/status')
      .type('form')
      .send({ trackingNumber: codes.trackingNumber, accessCode: codes.accessCode })
      .redirects(1)
      .expect(200);
    // The case page links to its forms (#17); sign-out's confirmation is one on every case.
    const page = await agent.get('/status/sign-out').expect(200);
    return { agent, token: csrfOf(page.text) };
  };
  /** A named complaint closed by staff: its survey link's token, from the queued invitation. */
  const surveyToken = async (email: string, staffId: string) => {
    const { id } = await fileByApi(email);
    const actor: Actor = { kind: 'staff', userId: staffId, roles: ['intake', 'supervisor'], assignedToCase: true };
    await services.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, actor);
    await services.workflow.dispatch(id, { type: 'DISMISS', reason: 'no_jurisdiction' }, actor);
    const invitation = await database.db
      .selectFrom('outbox')
      .select('data')
      .where('recipient', '=', email)
      .where('template', '=', 'surveyInvitation')
      .executeTakeFirstOrThrow();
    return (invitation.data as { surveyUrl: string }).surveyUrl.split('/survey/')[1]!;
  };

  before(async () => {
    ({ app, services, config } = testApp(database.handle));
    const db = database.db;
    const admin = await createAdmin(services, db, [...ALL_ROLES]);
    const agent = await signInAdminAs(app, db, admin);
    boss = { admin, agent, token: await tokenFrom(agent) };
    foreign.staff = await tokenFrom(await signIn(app, await createStaff(db, ['intake'])));

    draft = { agent: request.agent(app), token: '' };
    draft.token = await startForm(draft.agent);
    foreign.draft = await startForm(request.agent(app));

    const mine = await fileByApi('sweep-resident@example.com');
    resident = { ...(await openCase(mine)), complaintId: mine.id };
    foreign.case = (await openCase(await fileByApi('sweep-other@example.com'))).token;

    const survey = await surveyToken('sweep-survey@example.com', admin.id);
    const otherSurvey = await surveyToken('sweep-survey2@example.com', admin.id);
    foreign.survey = csrfOf((await request(app).get(`/survey/${otherSurvey}`).expect(200)).text);
    const trustWave = (await services.trustSurveys.current())!.id;
    trustBrowser = request.agent(app);
    await trustBrowser.get(`/community-survey/${trustWave}`).expect(200);
    foreign.trust = csrfOf((await request.agent(app).get(`/community-survey/${trustWave}`).expect(200)).text);

    // Real ids of the demo agency: a case under investigation with an allegation, a member of
    // staff, an officer, a meeting with an agenda item, a queued email.
    const investigated = await db
      .selectFrom('complaints')
      .innerJoin('allegations', 'allegations.complaint_id', 'complaints.id')
      .select(['complaints.id as caseId', 'allegations.id as allegationId'])
      .where('complaints.stage', '=', 'investigation')
      .orderBy('complaints.received_at')
      .executeTakeFirstOrThrow();
    const intake = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'intake@example.org')
      .executeTakeFirstOrThrow();
    const officer = await db.selectFrom('officers').select('id').orderBy('badge_number').executeTakeFirstOrThrow();
    const item = await db.selectFrom('agenda_items').select(['id', 'meeting_id']).executeTakeFirstOrThrow();
    const outbox = await db.selectFrom('outbox').select('id').executeTakeFirstOrThrow();
    const recommendation = await db
      .selectFrom('recommendations')
      .select(['id', 'reference'])
      .where('status', '=', 'adopted')
      .executeTakeFirstOrThrow();
    const sustained = await db
      .selectFrom('allegations')
      .select('complaint_id')
      .where('finding', '=', 'sustained')
      .executeTakeFirstOrThrow();
    const release = await db.selectFrom('records_releases').select('id').executeTakeFirstOrThrow();

    // A token waiting to be collected, a password link, and a file on the case.
    const issued = await services.apiTokens.issue(admin.id, { userId: intake.id, name: 'sweep' });
    const ownToken = await services.apiTokens.issue(admin.id, { userId: admin.id, name: 'sweep-own' });
    const collected = await services.apiTokens.collect(admin.id, ownToken.id);
    if (collected.outcome !== 'collected') throw new Error('token not collected');
    bearer = collected.token;
    expect(await services.userAdmin.sendPasswordLink(admin.id, intake.id)).to.equal(undefined);
    const link = await db
      .selectFrom('outbox')
      .select('data')
      .where('template', '=', 'passwordLink')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const passwordLink = (link.data as { link: string }).link.split('/staff/password/')[1]!;
    await boss.agent
      .post(`/staff/cases/${investigated.caseId}/evidence`)
      .field('_csrf', boss.token)
      .attach('evidence', pdf(), 'statement.pdf')
      .expect(303);
    const file = await db
      .selectFrom('attachments')
      .select('id')
      .where('complaint_id', '=', investigated.caseId)
      .executeTakeFirstOrThrow();

    ids = {
      caseId: investigated.caseId,
      allegationId: investigated.allegationId,
      fileId: file.id,
      userId: intake.id,
      officerId: officer.id,
      meetingId: item.meeting_id,
      itemId: item.id,
      outboxId: outbox.id,
      tokenId: issued.id,
      passwordLink,
      survey,
      sustainedCaseId: sustained.complaint_id,
      recommendationId: recommendation.id,
      recommendationReference: recommendation.reference,
      trustWave,
      releaseId: release.id,
    };
  });

  it('reads the routes from the app: every POST outside /api is a staff or resident form, and each is swept', () => {
    expect(POSTS.length, 'POST routes found').to.be.greaterThan(40);
    const elsewhere = POSTS.filter((r) => !isApi(r.path) && !isStaff(r.path) && !isResident(r.path));
    expect(elsewhere, 'POST routes the sweep has no signed-in user for: extend it').to.deep.equal([]);
    // The known forms are among them (the walk reaches nested routers).
    const paths = POSTS.map((r) => r.path);
    for (const known of [
      '/staff/sign-out',
      '/staff/cases/:id/notes',
      '/staff/admin/users/:id/disable',
      '/staff/board/items/:itemId/ballot',
      '/status/contact',
      '/survey/:token',
    ]) {
      expect(paths).to.include(known);
    }
  });

  describe('a POST without its token, or with another session’s, is refused (403) and changes nothing', () => {
    let initial: Awaited<ReturnType<typeof fingerprint>>;
    let files: number;
    let sessions: number;

    const countSessions = async () =>
      Number(
        (
          await database.db
            .selectFrom('sessions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      initial = await fingerprint(database.db);
      files = filesUnder(config.uploadDir);
      sessions = await countSessions();
    });

    /** Who sends the POST, and the token of another session of the same kind. */
    const senderOf = (route: string): { agent: Agent; foreign: string } => {
      if (isStaff(route)) return { agent: boss.agent, foreign: foreign.staff };
      if (route.startsWith('/complaint')) return { agent: draft.agent, foreign: foreign.draft };
      if (route.startsWith('/status')) return { agent: resident.agent, foreign: foreign.case };
      if (route.startsWith('/community-survey')) return { agent: trustBrowser, foreign: foreign.trust };
      return { agent: request.agent(app), foreign: foreign.survey };
    };

    const expectRefused = (res: request.Response, what: string) => {
      expect(res.status, `${what}: ${res.status} ${String(res.headers['location'] ?? '')}`).to.equal(403);
      expect(
        FORM_EXPIRED.some((title) => res.text.includes(title)),
        `${what}: the form-expired page`,
      ).to.equal(true);
    };

    for (const route of POSTS.filter((r) => !isApi(r.path))) {
      const name = `${route.method} ${route.path}`;
      if (TOKENLESS[name]) continue;
      it(name, async () => {
        const { agent, foreign: other } = senderOf(route.path);
        const field = FILE_FIELD[route.path] ?? 'evidence';
        for (const target of concrete(route, ids)) {
          const probe = { probe: 'R13 sweep' };
          expectRefused(await agent.post(target).type('form').send(probe), `${target} without a token`);
          expectRefused(
            await agent
              .post(target)
              .type('form')
              .send({ ...probe, _csrf: other }),
            `${target} with another session's token`,
          );
          expectRefused(
            await agent.post(target).field('probe', 'R13 sweep').attach(field, pdf(), 'a.pdf'),
            `${target} as multipart without a token`,
          );
          expectRefused(
            await agent.post(target).field('_csrf', other).attach(field, pdf(), 'a.pdf'),
            `${target} as multipart with another session's token`,
          );
        }
      });
    }

    it('the tokenless resident POSTs are only the entry points that have nothing to bind a token to yet', () => {
      const posts = new Set(POSTS.map((r) => `${r.method} ${r.path}`));
      for (const name of Object.keys(TOKENLESS)) expect(posts, name).to.include(name);
    });

    it('after the sweep nothing has changed: tables, files, sessions, and everyone is still where they were', async () => {
      const after = await fingerprint(database.db);
      const changed = changedTables(initial, after);
      // Every request touches its own staff session (the idle timeout, R12): its rows, not their number.
      delete changed['sessions'];
      // Attempt counters (R7) count each try at a survey link by design.
      delete changed['rate_limits'];
      expect(changed, 'tables changed by refused POSTs').to.deep.equal({});
      expect(await countSessions(), 'no session ended or began').to.equal(sessions);
      expect(filesUnder(config.uploadDir), 'no file kept from a refused upload').to.equal(files);
      // Nobody was signed out, no draft, case pass, survey or password link was spent.
      await boss.agent.get('/staff/account').expect(200);
      await draft.agent.get('/complaint/what').expect(200);
      await resident.agent.get('/status/case').expect(200);
      await request(app).get(`/survey/${ids.survey}`).expect(200);
      expect((await trustBrowser.get(`/community-survey/${ids.trustWave}`).expect(200)).text).to.contain(
        'name="_csrf"',
      );
      await request(app).get(`/staff/password/${ids.passwordLink}`).expect(200);
    });
  });

  describe('GET never changes state: every page, opened by someone who may see it', () => {
    let initial: Awaited<ReturnType<typeof fingerprint>>;
    let lastAudit: number;
    let tokensBefore: unknown[];
    const statuses: Record<string, number> = {};
    /** The API tokens without the time each was last used, which every authorised request sets. */
    const tokenRows = async () =>
      (await database.db.selectFrom('api_tokens').selectAll().orderBy('id').execute()).map(
        ({ last_used_at: _used, ...kept }) => kept,
      );

    const agentFor = (route: string): Agent | ReturnType<typeof request> => {
      if (isStaff(route)) return boss.agent;
      if (route.startsWith('/complaint')) return draft.agent;
      if (route.startsWith('/status')) return resident.agent;
      return request(app);
    };

    before(async () => {
      initial = await fingerprint(database.db);
      const head = await database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      lastAudit = Number(head.id);
      tokensBefore = await tokenRows();
    });

    it('opens every GET route with real ids: none answers 5xx', async () => {
      for (const route of GETS) {
        for (const target of concrete(route, ids)) {
          const agent = agentFor(route.path);
          const req = agent.get(target);
          const res = await (route.path.startsWith('/api/v1/cases')
            ? req.set('Authorization', `Bearer ${bearer}`)
            : req);
          statuses[target] = res.status;
          expect(res.status, `GET ${target}`).to.be.below(500);
        }
      }
      const ok = Object.values(statuses).filter((s) => s === 200).length;
      // Most pages really render (the ids are real), so the sweep reads what a person would.
      expect(ok, JSON.stringify(statuses, null, 1)).to.be.at.least(Math.floor(Object.keys(statuses).length * 0.8));
    });

    it('changed nothing but the audit trail of reads (R1) and the staff session’s idle clock', async () => {
      const after = await fingerprint(database.db);
      const changed = changedTables(initial, after);
      delete changed['sessions'];
      // A bearer token's last use is recorded on every API request; nothing else of it may change.
      if (changed['api_tokens']) {
        expect(await tokenRows(), 'API tokens, apart from their last use').to.deep.equal(tokensBefore);
        delete changed['api_tokens'];
      }
      const added = await database.db
        .selectFrom('audit_events')
        .select(['event_type', 'actor_id'])
        .where('id', '>', lastAudit)
        .execute();
      if (changed['audit_events']) {
        delete changed['audit_events'];
        // Only appended: the rows that were there are as they were.
        const { rows } = await sql<{ md5: string }>`
          select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
          from audit_events t where id <= ${lastAudit}`.execute(database.db);
        const whole = initial.get('audit_events')!;
        expect(rows[0]!.md5, 'earlier audit rows untouched').to.equal(whole.md5);
      }
      expect(changed, 'tables changed by GET requests').to.deep.equal({});
      const types = [...new Set(added.map((a) => a.event_type))].sort();
      expect(
        types.filter((t) => !AUDITED_READS.has(t)),
        'audit events of GETs that are not reads',
      ).to.deep.equal([]);
      expect(types, 'the case page, a download and the audit log were read').to.include.members([
        'case.read',
        'evidence.download',
        'audit.view',
        'audit.export',
      ]);
      expect(new Set(added.map((a) => a.actor_id))).to.deep.equal(new Set([boss.admin.id]));
    });
  });
});
