import { expect } from 'chai';
import type { Express } from 'express';
import { sql } from 'kysely';
import request from 'supertest';
import type { Db } from '../../server/platform/db/database.js';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { signInAdmin } from '../support/admin.js';
import { useDatabase } from '../support/database.js';
import type { Agent } from '../support/resident.js';
import { createStaff, signIn, signInPage, tokenFrom, type TestStaff } from '../support/staff.js';

/** An admin who has passed the TOTP second factor in this agent's session (R9). */
async function signInAdminHere(app: Express, services: Services, db: Db): Promise<{ staff: TestStaff; agent: Agent }> {
  const { admin, agent } = await signInAdmin(app, services, db);
  return { staff: admin, agent };
}

const rowIds = (html: string) =>
  [...html.matchAll(/<div class="usa-hint">Event (\d+)<\/div>/g)].map((m) => Number(m[1]));

describe('audit log viewer (R1, R4)', () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  let admin: { staff: TestStaff; agent: Agent };

  before(async () => {
    ({ app, services } = testApp(database.handle));
    await services.demo.ensureDemoData('demo-password-for-tests');
    admin = await signInAdminHere(app, services, database.db);
  });

  const events = (type: string) =>
    database.db.selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();

  it('is not there for other roles, nor for an admin without a second factor (404 or the code page)', async () => {
    for (const roles of [['intake'], ['investigator'], ['supervisor'], ['board']] as const) {
      const agent = await signIn(app, await createStaff(database.db, [...roles]));
      await agent.get('/staff/admin/audit').expect(404);
      await agent.get('/staff/admin/audit.csv').expect(404);
      const token = await tokenFrom(agent);
      await agent.post('/staff/admin/audit/verify').type('form').send({ _csrf: token }).expect(404);
    }
    const noCode = await signIn(app, await createStaff(database.db, ['admin', 'intake']));
    const res = await noCode.get('/staff/admin/audit').expect(303);
    expect(res.headers['location']).to.equal('/staff/account/two-factor');
  });

  it('shows 100 events newest first, pages back by id, and audits every view with its filters', async () => {
    const before = (await events('audit.view')).length;
    const first = await admin.agent.get('/staff/admin/audit').expect(200);
    const ids = rowIds(first.text);
    expect(ids).to.have.length(100);
    expect([...ids].sort((a, b) => b - a)).to.deep.equal(ids);
    expect(first.text).to.contain('audit.view'); // this view is the newest event
    const older = /href="(\/staff\/admin\/audit\?before=\d+)"/.exec(first.text.replaceAll('&amp;', '&'))![1]!;
    const second = await admin.agent.get(older).expect(200);
    const olderIds = rowIds(second.text);
    expect(olderIds.length).to.be.greaterThan(0);
    expect(Math.max(...olderIds)).to.be.lessThan(Math.min(...ids));
    const views = await events('audit.view');
    expect(views.length).to.equal(before + 2);
    expect(views.at(-1)!.actor_id).to.equal(admin.staff.id);
    expect(views.at(-1)!.details).to.include({ beforeId: ids.at(-1) });
  });

  it('filters by event type, actor email, tracking number, outcome and dates', async () => {
    const byType = await admin.agent.get('/staff/admin/audit?type=complaint.transition').expect(200);
    expect(byType.text).to.contain('<option value="complaint.transition" selected>');
    const types = [...byType.text.matchAll(/<td data-label="Event"><code>([^<]+)</g)].map((m) => m[1]);
    expect(types.length).to.be.greaterThan(0);
    expect(new Set(types)).to.deep.equal(new Set(['complaint.transition']));

    const byActor = await admin.agent.get(
      `/staff/admin/audit?actor=${encodeURIComponent(admin.staff.email.toUpperCase())}`,
    );
    expect(byActor.status).to.equal(200);
    expect(rowIds(byActor.text).length).to.be.greaterThan(0);
    const complaint = await database.db
      .selectFrom('complaints')
      .select(['id', 'tracking_number'])
      .executeTakeFirstOrThrow();
    const byCase = await admin.agent
      .get(`/staff/admin/audit?object=${complaint.tracking_number.toLowerCase().replaceAll('-', '')}`)
      .expect(200);
    expect(byCase.text).to.contain(`href="/staff/cases/${complaint.id}"`);
    const caseRows = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('object_id', '=', complaint.id)
      .execute();
    expect(rowIds(byCase.text).sort()).to.deep.equal(caseRows.map((r) => r.id).sort());

    await createStaff(database.db, ['intake'], { email: 'wrong-password@example.org' });
    const failAgent = request.agent(app);
    const failToken = await signInPage(failAgent);
    await failAgent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: failToken, email: 'wrong-password@example.org', password: 'not the password at all' })
      .expect(401);
    const failures = await admin.agent.get('/staff/admin/audit?outcome=failure').expect(200);
    expect(failures.text).to.contain('<span class="usa-tag bg-secondary-dark">Failed</span>');
    expect(failures.text).not.to.match(/<\/code>\s*<div>Succeeded<\/div>/);
    const all = await admin.agent.get('/staff/admin/audit').expect(200);
    expect(all.text).to.match(/<\/code>\s*<div>Succeeded<\/div>/);

    const future = await admin.agent.get('/staff/admin/audit?from=2099-01-01&to=2099-12-31').expect(200);
    expect(rowIds(future.text)).to.deep.equal([]);
    expect(future.text).to.contain('No events match these filters.');
    const recent = await admin.agent.get('/staff/admin/audit?from=2000-01-01').expect(200);
    expect(rowIds(recent.text).length).to.equal(100);

    const view = (await events('audit.view')).at(-1)!;
    // A day in the agency's zone (America/Los_Angeles by default): midnight there is 08:00 UTC in winter.
    expect(view.details).to.deep.equal({ from: '2000-01-01T08:00:00.000Z' });
  });

  it('answers bad filters with 400 and an error summary, not 500, in the reader’s language', async () => {
    const before = (await events('audit.view')).length;
    for (const query of [
      'from=2024-13-45',
      'from=2024-02-30',
      'from=yesterday',
      'from=0000-01-01',
      'to=9999-12-31',
      'from=2024-05-02&to=2024-05-01',
      'actor=not-an-email',
      'actor=nobody-here@example.org',
      'object=OC-ZZZZ-ZZZZ',
      'object=%3Cscript%3E',
      'outcome=maybe',
      'type=a&type=b',
      'type=' + 'x'.repeat(101),
      'before=abc',
      'surprise=1',
    ]) {
      const res = await admin.agent.get(`/staff/admin/audit?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.text, query).to.contain('id="error-summary"');
      expect(res.text, query).to.contain('href="#field-');
      await admin.agent.get(`/staff/admin/audit.csv?${query}`).expect(400);
    }
    const spanish = await admin.agent.get('/staff/admin/audit?from=2024-13-45&lang=es').expect(400);
    expect(spanish.text).to.contain('Escriba una fecha válida');
    expect((await events('audit.view')).length, 'a refused filter shows no events').to.equal(before);
    await admin.agent.get('/staff/admin/audit?lang=en').expect(200);
  });

  it('exports the filtered events as a CSV attachment, and audits the export', async () => {
    const res = await admin.agent.get('/staff/admin/audit.csv?type=complaint.create').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="audit-log-\d{8}T\d{6}\.csv"$/);
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).to.equal(
      'id,occurred_at,event_type,actor_type,actor_id,actor_name,outcome,object_type,object_id,request_id,details,prev_hash,hash',
    );
    const creates = await events('complaint.create');
    expect(lines.length - 1).to.equal(creates.length);
    expect(lines[1]!.split(',')[0]).to.equal(String(creates.at(-1)!.id));
    const exportRow = (await events('audit.export')).at(-1)!;
    expect(exportRow.actor_id).to.equal(admin.staff.id);
    expect(exportRow.details).to.include({ eventType: 'complaint.create', rows: creates.length });
  });

  it('verifies the chain on request (POST with the form token), shows the head, and audits it', async () => {
    await admin.agent.post('/staff/admin/audit/verify').type('form').send({}).expect(403);
    const token = await tokenFrom(admin.agent, '/staff/admin/audit');
    const res = await admin.agent.post('/staff/admin/audit/verify').type('form').send({ _csrf: token }).expect(200);
    expect(res.text).to.contain('The chain is intact');
    // The check covered every event before its own record, whose link is the head it reported.
    const recorded = (await events('audit.verify')).at(-1)!;
    const earlier = await database.db.selectFrom('audit_events').select('id').where('id', '<', recorded.id).execute();
    expect(res.text).to.contain(`<code class="app-hash">${recorded.prev_hash}</code>`);
    expect(recorded.details).to.deep.equal({ intact: true, count: earlier.length, brokenAt: null });
    expect(await services.audit.verify()).to.include({ ok: true, count: earlier.length + 1 });
  });

  it('names the first broken row when a row was changed behind the triggers', async () => {
    const target = (await events('complaint.create'))[3]!.id;
    await sql`alter table audit_events disable trigger user`.execute(database.db);
    try {
      await sql`update audit_events set details = '{"forged": true}' where id = ${target}`.execute(database.db);
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(database.db);
    }
    const token = await tokenFrom(admin.agent, '/staff/admin/audit');
    const res = await admin.agent.post('/staff/admin/audit/verify').type('form').send({ _csrf: token }).expect(200);
    expect(res.text).to.contain('The chain is broken');
    expect(res.text).to.contain(`The first broken event is number ${target}:`);
    expect(res.text).to.contain('its content does not match its hash');
    const recorded = (await events('audit.verify')).at(-1)!;
    expect(recorded).to.include({ outcome: 'failure' });
    expect(recorded.details).to.include({ intact: false, brokenAt: target });
  });
});
