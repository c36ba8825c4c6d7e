import { syncAllCaseClocks } from '../../server/platform/deadlines/deadline.repository.js';
import { expect } from 'chai';
import { createTranslator } from '../../server/platform/i18n.js';
import type { DemoResult } from '../../server/demo/demo.service.js';
import { services } from '../../server/compose.js';
import { testConfig } from '../support/app.js';
import { silentLogger } from '../support/logger.js';
import { verifyPassword } from '../../server/platform/security/password.js';
import { seedService } from '../../server/demo/seed.service.js';
import { restore, stateName } from '../../workflows/complaint.snapshot.js';
import { useDatabase } from '../support/database.js';

describe('demo agency', () => {
  const database = useDatabase();
  const demo = () =>
    services({ config: testConfig(), database: database.handle, translator: createTranslator(), logger: silentLogger })
      .demo;

  let result: DemoResult;
  before(async () => {
    result = await demo().ensureDemoData(undefined);
  });

  it('creates staff of every role, districts and 30 officers on an empty database', async () => {
    expect(result.created).to.equal(true);
    expect(result.password).to.match(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const roles = await database.db.selectFrom('user_roles').select(['role']).execute();
    const count = (role: string) => roles.filter((r) => r.role === role).length;
    expect([count('admin'), count('intake'), count('investigator'), count('supervisor'), count('board')]).to.deep.equal(
      [1, 1, 2, 1, 5],
    );
    const officers = await database.db.selectFrom('officers').select(['badge_number']).execute();
    expect(officers).to.have.length(30);
    expect(new Set(officers.map((o) => o.badge_number)).size).to.equal(30);
    const admin = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'admin@example.org')
      .executeTakeFirstOrThrow();
    expect(admin.password_hash).to.match(/^scrypt\$/);
    expect(await verifyPassword(result.password!, admin.password_hash)).to.equal(true);
    expect(await verifyPassword('wrong password!', admin.password_hash)).to.equal(false);
  });

  it('files about 60 complaints through the workflow, over every stage, with verifiable audit trails', async () => {
    const complaints = await database.db
      .selectFrom('complaints')
      .select(['stage', 'state', 'tracking_number'])
      .execute();
    expect(complaints.length).to.be.within(55, 65);
    expect(new Set(complaints.map((c) => c.stage))).to.deep.equal(
      new Set(['intake', 'mediation', 'investigation', 'boardReview', 'disposition', 'closed']),
    );
    expect(new Set(complaints.map((c) => c.state)).size, 'every state of the machine').to.equal(11);
    expect(new Set(complaints.map((c) => c.tracking_number)).size).to.equal(complaints.length);
    const transitions = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'complaint.transition')
      .execute();
    expect(transitions.length).to.be.greaterThan(200);
    const audit = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    }).audit;
    expect(await audit.verify()).to.include({ ok: true });
  });

  it('looks like a working office: most open cases on time, some due soon, a few overdue, as the queue shows them', async () => {
    const svc = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    const supervisor = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'supervisor@example.org')
      .executeTakeFirstOrThrow();
    const viewer = { userId: supervisor.id, roles: ['supervisor' as const] };
    const spreadOfBadges = async () => {
      const badges: Array<string | null> = [];
      for (let page = 1; ; page++) {
        const list = await svc.caseQueue.list(viewer, { page });
        badges.push(...list.items.map((item) => item.badge));
        if (page * list.pageSize >= list.total) break;
      }
      const count = (badge: string) => badges.filter((b) => b === badge).length;
      return { onTime: count('onTime'), dueSoon: count('dueSoon'), overdue: count('overdue'), open: badges.length };
    };
    const spread = await spreadOfBadges();
    const shown = JSON.stringify(spread);
    expect(spread.open, shown).to.be.at.least(30);
    expect(spread.onTime, shown).to.be.at.least(spread.open / 2);
    expect(spread.dueSoon, shown).to.be.within(3, spread.open / 4);
    expect(spread.overdue, shown).to.be.within(2, spread.open / 5);
    // The sweeper's first pass after start (warnings, breaches) leaves the spread as it was.
    await svc.deadlines.sweep();
    expect(await spreadOfBadges()).to.deep.equal(spread);
  });

  it("shows the department's responses to sustained findings: in time and changed on appeal, late, and awaited (#19)", async () => {
    // The three sustained cases that closed; a fourth is decided by the demo's meeting today.
    const clocks = await database.db
      .selectFrom('deadlines as d')
      .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
      .leftJoin('department_responses as r', 'r.complaint_id', 'd.complaint_id')
      .select((eb) => ['d.complaint_id', 'd.status', 'd.completed_at', eb.fn.count('r.id').as('entries')])
      .where('d.kind', '=', 'department_response')
      .where('c.stage', '=', 'closed')
      .groupBy(['d.complaint_id', 'd.status', 'd.completed_at'])
      .orderBy('entries', 'desc')
      .execute();
    // Still awaited past its due day: overdue (breached by the sweep on the app's first minute).
    expect(clocks.map((c) => [c.completed_at ? c.status : 'awaited', Number(c.entries)])).to.deep.equal([
      ['met', 2],
      ['breached', 1],
      ['awaited', 0],
    ]);
    const entries = await database.db
      .selectFrom('department_responses')
      .select(['complaint_id', 'discipline', 'suspension_days'])
      .orderBy('recorded_at')
      .execute();
    expect(entries.map((e) => [e.complaint_id, e.discipline, e.suspension_days])).to.deep.equal([
      [clocks[0]!.complaint_id, 'suspension', 10],
      [clocks[0]!.complaint_id, 'suspension', 3],
      [clocks[1]!.complaint_id, 'none', null],
    ]);
  });

  it('runs a community trust survey: a closed wave published above the small-cell rule, and an open one', async () => {
    const svc = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    const open = await svc.trustSurveys.current();
    expect(open?.status).to.equal('open');
    expect(open?.asksDemographics).to.equal(true);
    const results = await svc.trustResults.results('en');
    expect(results.waves).to.have.length(1);
    expect(results.waves[0]!.respondents.value).to.be.at.least(100);
    expect(results.items.length).to.be.at.least(5);
    expect(results.items.every((item) => item.cells[0]!.value !== null)).to.equal(true);
    const districts = results.districts!.districts;
    expect(districts.filter((d) => !d.respondents.suppressed && d.respondents.value! >= 10)).to.have.length.at.least(5);
    expect(districts.find((d) => d.key === 'harbor')?.respondents.suppressed, 'a small district withheld').to.equal(
      true,
    );
  });

  it('has three policy recommendations at different stages: partly accepted, response overdue, a draft on an agenda (#19)', async () => {
    const svc = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    const tracker = await svc.recommendationTracker.list({}, 'en');
    expect(tracker.entries.map((e) => e.status).sort()).to.deep.equal(['in_progress', 'response_overdue']);
    expect(tracker.entries.every((e) => e.decision?.votesFor === 4 && e.decision.votesAgainst === 1)).to.equal(true);
    const drafts = await database.db
      .selectFrom('recommendations as r')
      .innerJoin('recommendation_items as i', 'i.recommendation_id', 'r.id')
      .select('r.status')
      .where('i.outcome', 'is', null)
      .execute();
    expect(drafts.map((d) => d.status)).to.deep.equal(['draft']);
  });

  it('does nothing on a second start, and prints no password', async () => {
    const again = await demo().ensureDemoData(undefined);
    expect(again.created).to.equal(false);
    expect(again.password).to.equal(undefined);
    expect(await database.db.selectFrom('users').select('id').execute()).to.have.length(10);
  });

  it('resets the demo accounts to DEMO_PASSWORD when given', async () => {
    const result = await demo().ensureDemoData('correct horse battery');
    expect(result.password).to.equal('correct horse battery');
    const users = await database.db.selectFrom('users').select('password_hash').execute();
    for (const user of users) expect(await verifyPassword('correct horse battery', user.password_hash)).to.equal(true);
  });

  it('bulk-loads synthetic complaints with allegations, spread over stages, districts and three years', async () => {
    const loaded = await seedService(database.db).loadSyntheticComplaints(600);
    expect(loaded).to.be.within(598, 600);
    const complaints = await database.db
      .selectFrom('complaints')
      .where('access_code_hash', 'like', 'synthetic:%')
      .select(['tracking_number', 'stage', 'district', 'received_at', 'outcome', 'closed_at'])
      .execute();
    expect(complaints).to.have.length(loaded);
    for (const c of complaints) expect(c.tracking_number).to.match(/^OC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(complaints.map((c) => c.stage)).size).to.equal(6);
    expect(new Set(complaints.map((c) => c.district)).size).to.equal(6);
    const ages = complaints.map((c) => (Date.now() - c.received_at.getTime()) / 86_400_000);
    expect(Math.max(...ages)).to.be.within(700, 1096);
    expect(complaints.filter((c) => c.stage === 'closed').every((c) => c.closed_at && c.outcome)).to.equal(true);

    const allegations = await database.db
      .selectFrom('allegations')
      .innerJoin('complaints', 'complaints.id', 'allegations.complaint_id')
      .where('complaints.access_code_hash', 'like', 'synthetic:%')
      .select(['allegations.complaint_id', 'allegations.finding', 'complaints.outcome'])
      .execute();
    const perComplaint = new Map<string, number>();
    for (const a of allegations) perComplaint.set(a.complaint_id, (perComplaint.get(a.complaint_id) ?? 0) + 1);
    expect(perComplaint.size).to.equal(loaded);
    expect(Math.min(...perComplaint.values())).to.be.at.least(1);
    expect(Math.max(...perComplaint.values())).to.be.at.most(3);
    expect(allegations.filter((a) => a.outcome === 'decided').every((a) => a.finding !== null)).to.equal(true);
    expect(allegations.filter((a) => a.outcome === null).every((a) => a.finding === null)).to.equal(true);

    // Each open case runs its clocks (#18): the statutory year and its stage's, a spread of due
    // dates (on time, warned, breached), and the case's columns say the same as its clocks.
    const clocks = await database.db
      .selectFrom('deadlines as d')
      .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
      .where('c.access_code_hash', 'like', 'synthetic:%')
      .select(['c.id', 'c.stage', 'd.kind', 'd.status'])
      .execute();
    const open = complaints.filter((c) => c.stage !== 'closed').length;
    expect(clocks.filter((d) => d.kind === 'statutory')).to.have.length(open);
    expect(clocks.some((d) => d.stage === 'closed')).to.equal(false);
    expect(new Set(clocks.map((d) => d.status))).to.deep.equal(new Set(['open', 'warned', 'breached']));
    const before = await database.db
      .selectFrom('complaints')
      .select(['id', 'next_due_at', 'clock_breached', 'clock_warned', 'clock_tolled'])
      .where('access_code_hash', 'like', 'synthetic:%')
      .orderBy('id')
      .execute();
    await syncAllCaseClocks(database.db);
    const after = await database.db
      .selectFrom('complaints')
      .select(['id', 'next_due_at', 'clock_breached', 'clock_warned', 'clock_tolled'])
      .where('access_code_hash', 'like', 'synthetic:%')
      .orderBy('id')
      .execute();
    expect(before).to.deep.equal(after);

    // Every synthetic snapshot is one the machine can load and act on.
    const stored = await database.db
      .selectFrom('complaints')
      .select(['snapshot', 'machine_version', 'state'])
      .execute();
    for (const row of stored) expect(stateName(restore(row.snapshot, row.machine_version))).to.equal(row.state);
  });
});
