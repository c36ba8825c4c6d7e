import { expect } from 'chai';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import type { Agent } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';
import { syncAllCaseClocks } from '../../server/platform/deadlines/deadline.repository.js';
import { badgeOf, clockFacts, deadlineBadge, type ClockFacts } from '../../server/platform/deadlines/deadlineBadge.js';
import { newTrackingNumber } from '../../server/platform/workflow/complaint.codes.js';
import { queueSearch } from '../../server/features/cases/caseQueue.schemas.js';

const DEMO_PASSWORD = 'demo-password-for-tests';
const DAY = 86_400_000;
const NOW = new Date('2026-11-22T12:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('deadline badge (pure)', () => {
  const facts = (f: Partial<ClockFacts>): ClockFacts => ({
    nextDueAt: null,
    breached: false,
    warned: false,
    tolled: false,
    ...f,
  });

  it('is overdue when a running clock is past due, or breached even if the next one is far', () => {
    expect(deadlineBadge(false, facts({ nextDueAt: at(-1) }), NOW)).to.equal('overdue');
    expect(deadlineBadge(false, facts({ nextDueAt: at(60), breached: true }), NOW)).to.equal('overdue');
    expect(deadlineBadge(false, facts({ breached: true, tolled: true }), NOW)).to.equal('overdue');
  });

  it('is due soon within 14 days, or once warned', () => {
    expect(deadlineBadge(false, facts({ nextDueAt: at(0.5) }), NOW)).to.equal('dueSoon');
    expect(deadlineBadge(false, facts({ nextDueAt: at(14) }), NOW)).to.equal('dueSoon');
    expect(deadlineBadge(false, facts({ nextDueAt: at(14.01) }), NOW)).to.equal('onTime');
    expect(deadlineBadge(false, facts({ nextDueAt: at(30), warned: true }), NOW)).to.equal('dueSoon');
  });

  it('is tolled when the clocks stand still, and on time otherwise', () => {
    expect(deadlineBadge(false, facts({ tolled: true }), NOW)).to.equal('tolled');
    expect(deadlineBadge(false, facts({ tolled: true, nextDueAt: at(40) }), NOW)).to.equal('tolled');
    expect(deadlineBadge(false, facts({ nextDueAt: at(40) }), NOW)).to.equal('onTime');
    expect(deadlineBadge(false, facts({}), NOW)).to.equal('onTime');
  });

  it('shows nothing for a closed case', () => {
    expect(deadlineBadge(true, facts({ breached: true }), NOW)).to.equal(null);
    expect(badgeOf('closed', [{ due_at: at(-5), status: 'open', tolled_at: null }], NOW)).to.equal(null);
  });

  it('reads the facts from a case’s clocks: met, cancelled and tolled clocks are not next due', () => {
    const clocks = [
      { due_at: at(-30), status: 'met', tolled_at: null },
      { due_at: at(-20), status: 'cancelled', tolled_at: null },
      { due_at: at(3), status: 'open', tolled_at: at(-1) },
      { due_at: at(50).toISOString(), status: 'open', tolled_at: null },
      { due_at: at(20), status: 'warned', tolled_at: at(-2) },
    ];
    expect(clockFacts(clocks)).to.deep.equal({ nextDueAt: at(50), breached: false, warned: false, tolled: true });
    expect(badgeOf('investigation', clocks, NOW)).to.equal('tolled');
    expect(badgeOf('investigation', clocks.slice(0, 2), NOW)).to.equal('onTime');
    expect(badgeOf('investigation', [{ due_at: at(-1), status: 'breached', tolled_at: null }], NOW)).to.equal(
      'overdue',
    );
    // A clock stopped after its breach keeps 'breached' as its verdict, but no longer runs: the
    // acknowledgement was late once, the case is not overdue for ever after.
    const stopped = { due_at: at(-10), status: 'breached', tolled_at: null, completed_at: at(-2) };
    expect(clockFacts([stopped]).breached).to.equal(false);
    expect(badgeOf('investigation', [stopped, { due_at: at(40), status: 'open', tolled_at: null }], NOW)).to.equal(
      'onTime',
    );
  });
});

interface Expected {
  id: string;
  tracking: string;
  stage: string;
  state: string;
  district: string | null;
  received: number;
  nextDue: number | null;
  badge: string | null;
  assignee: string | null;
  categories: string[];
}

const idsOf = (html: string) => [...html.matchAll(/href="\/staff\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const hrefOf = (html: string, text: string) =>
  new RegExp(`href="([^"]+)">${text}<`).exec(html)?.[1]?.replaceAll('&amp;', '&');
const summaryOf = (html: string) => /<h2 id="results">([^<]*)<\/h2>/.exec(html)?.[1]?.trim();

describe('the case queue and caseloads (/staff/cases)', () => {
  const database = useDatabase({ demo: true });
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];
  const as = {} as Record<'intake' | 'inv1' | 'inv2' | 'supervisor' | 'board1' | 'board2' | 'admin', Agent>;
  const ids = {} as Record<'inv1' | 'inv2' | 'board1', string>;
  let all: Expected[];

  /** What the queue must show, worked out in the test from the tables and the pure badge. */
  async function expected(): Promise<Expected[]> {
    const db = database.db;
    const [complaints, deadlines, allegations, assignments] = await Promise.all([
      db
        .selectFrom('complaints')
        .select(['id', 'tracking_number', 'stage', 'state', 'district', 'received_at'])
        .execute(),
      db.selectFrom('deadlines').select(['complaint_id', 'due_at', 'status', 'tolled_at', 'completed_at']).execute(),
      db.selectFrom('allegations').select(['complaint_id', 'category']).execute(),
      db.selectFrom('assignments').select(['complaint_id', 'user_id']).where('ended_at', 'is', null).execute(),
    ]);
    const now = new Date();
    return complaints
      .map((c) => {
        const clocks = deadlines.filter((d) => d.complaint_id === c.id);
        return {
          id: c.id,
          tracking: c.tracking_number,
          stage: c.stage,
          state: c.state,
          district: c.district,
          received: new Date(c.received_at).getTime(),
          nextDue: clockFacts(clocks).nextDueAt?.getTime() ?? null,
          badge: badgeOf(c.stage, clocks, now),
          assignee: assignments.find((a) => a.complaint_id === c.id)?.user_id ?? null,
          categories: allegations.filter((a) => a.complaint_id === c.id).map((a) => a.category),
        };
      })
      .sort(
        (a, b) =>
          (a.nextDue ?? Infinity) - (b.nextDue ?? Infinity) || a.received - b.received || (a.id < b.id ? -1 : 1),
      );
  }

  const open = (cases: Expected[]) => cases.filter((c) => c.stage !== 'closed');

  /** The first page of a query: the right cases, in order, and the right count. */
  async function expectQueue(agent: Agent, query: string, want: Expected[]) {
    const res = await agent.get(`/staff/cases${query}`).expect(200);
    expect(idsOf(res.text), query).to.deep.equal(want.slice(0, 25).map((c) => c.id));
    const summary = want.length ? `Showing 1–${Math.min(25, want.length)} of ${want.length}` : 'No cases match';
    expect(summaryOf(res.text), query).to.equal(summary);
    return res;
  }

  before(async () => {
    ({ app, services } = testApp(database.handle));
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    const db = database.db;
    const users = await db.selectFrom('users').select(['id', 'email']).execute();
    const idOf = (email: string) => users.find((u) => u.email === email)!.id;
    ids.inv1 = idOf('investigator1@example.org');
    ids.inv2 = idOf('investigator2@example.org');
    ids.board1 = idOf('board1@example.org');
    // The demo's acknowledgement clocks are all missed: meet half of them, and those of the paused
    // cases, then bring some clocks near (or warn about them), so that every badge occurs.
    const cases = await db.selectFrom('complaints').select('id').orderBy('tracking_number').execute();
    const tolled = await db.selectFrom('deadlines').select('complaint_id').where('tolled_at', 'is not', null).execute();
    const met = [...cases.filter((_, i) => i % 2 === 0).map((c) => c.id), ...tolled.map((t) => t.complaint_id)];
    await db
      .updateTable('deadlines')
      .set({ status: 'met' })
      .where('kind', '=', 'acknowledge')
      .where('complaint_id', 'in', met)
      .execute();
    const clockOf = async (assignee: string | null, skip: number) => {
      let query = db
        .selectFrom('deadlines as d')
        .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
        .leftJoin('assignments as a', (j) => j.onRef('a.complaint_id', '=', 'c.id').on('a.ended_at', 'is', null))
        .select('d.id')
        .where('d.complaint_id', 'in', met)
        .where('d.status', '=', 'open')
        .where('d.tolled_at', 'is', null)
        .where('c.stage', '<>', 'closed')
        .orderBy('c.tracking_number')
        .orderBy('d.due_at');
      query = assignee ? query.where('a.user_id', '=', assignee) : query.where('a.user_id', 'is', null);
      return (await query.offset(skip).limit(1).executeTakeFirstOrThrow()).id;
    };
    const near = [await clockOf(ids.inv1, 0), await clockOf(ids.inv1, 3), await clockOf(null, 0)];
    for (const [i, id] of near.entries()) {
      await db
        .updateTable('deadlines')
        .set({ due_at: new Date(Date.now() + (i + 2) * DAY) })
        .where('id', '=', id)
        .execute();
    }
    await db
      .updateTable('deadlines')
      .set({ status: 'warned' })
      .where('id', '=', await clockOf(ids.inv2, 0))
      .execute();
    // Clocks stopped late keep 'breached' as their verdict: they must not make a case overdue.
    await db
      .updateTable('deadlines')
      .set({ status: 'breached', due_at: new Date(Date.now() - 40 * DAY) })
      .where('completed_at', 'is not', null)
      .where('kind', '=', 'acknowledge')
      .execute();
    // The clocks were edited behind the deadline service's back: copy their facts onto the cases.
    await syncAllCaseClocks(db);

    const accounts = {
      intake: 'intake@example.org',
      inv1: 'investigator1@example.org',
      inv2: 'investigator2@example.org',
      supervisor: 'supervisor@example.org',
      board1: 'board1@example.org',
      board2: 'board2@example.org',
      admin: 'admin@example.org',
    } as const;
    for (const [key, email] of Object.entries(accounts)) {
      as[key as keyof typeof as] = await signIn(app, { email, password: DEMO_PASSWORD });
    }
    all = await expected();
  });

  it('has stopped clocks that breached on open cases not overdue, so the queue is tested on them', async () => {
    const late = await database.db
      .selectFrom('deadlines')
      .select('complaint_id')
      .where('status', '=', 'breached')
      .where('completed_at', 'is not', null)
      .execute();
    const lateIds = new Set(late.map((d) => d.complaint_id));
    expect(
      all.filter((c) => lateIds.has(c.id) && c.stage !== 'closed' && c.badge !== 'overdue'),
    ).to.have.length.greaterThan(0);
  });

  it('has cases with every badge, so the filters below are tested on something', () => {
    for (const badge of ['overdue', 'dueSoon', 'tolled', 'onTime', null]) {
      expect(
        all.filter((c) => c.badge === badge),
        String(badge),
      ).to.have.length.greaterThan(0);
    }
  });

  it('shows a supervisor every open case, the soonest deadline first, with a link to the caseloads', async () => {
    const res = await expectQueue(as.supervisor, '', open(all));
    expect(res.text).to.include('href="/staff/cases/caseload"');
    expect(res.text).to.include('id="field-assignee"');
    expect(res.headers['cache-control']).to.include('no-store');
  });

  it('shows each case’s number, received day, stage, allegations, district, assignee, next due and badge', async () => {
    const c = open(all).find((x) => x.assignee === ids.inv1 && x.categories.includes('force') && x.nextDue)!;
    const res = await as.supervisor.get(`/staff/cases?number=${c.tracking}`).expect(200);
    const row = /<tbody>([\s\S]*)<\/tbody>/.exec(res.text)![1]!;
    expect(row).to.include(`>${c.tracking}</a>`);
    expect(row).to.include('Iris Investigator');
    expect(row).to.include('Use of force');
    const district = await database.db
      .selectFrom('districts')
      .select('name_en')
      .where('code', '=', c.district!)
      .executeTakeFirstOrThrow();
    expect(row).to.include(district.name_en);
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'America/Los_Angeles' });
    // A deadline falls due at midnight after its last day, and the page shows that last day.
    expect(row).to.include(day.format(new Date(new Date(c.nextDue!).getTime() - 1)));
    expect(row).to.include(day.format(new Date(c.received)));
    const badgeText = { overdue: 'Overdue', dueSoon: 'Due soon', tolled: 'Clock paused', onTime: 'On time' };
    expect(row).to.include(badgeText[c.badge as keyof typeof badgeText]);
  });

  it('filters by stage, deadline, category, district, assignee and open or all cases', async () => {
    const queries: Array<[string, (c: Expected) => boolean]> = [
      ['?stage=investigation', (c) => c.stage === 'investigation'],
      ['?deadline=overdue', (c) => c.badge === 'overdue'],
      ['?deadline=dueSoon', (c) => c.badge === 'dueSoon'],
      ['?deadline=tolled', (c) => c.badge === 'tolled'],
      ['?deadline=overdue&deadline=dueSoon', (c) => c.badge === 'overdue' || c.badge === 'dueSoon'],
      ['?category=force', (c) => c.categories.includes('force')],
      ['?district=north', (c) => c.district === 'north'],
      [`?assignee=${ids.inv2}`, (c) => c.assignee === ids.inv2],
      [
        `?assignee=${ids.inv1}&deadline=overdue&stage=investigation`,
        (c) => c.assignee === ids.inv1 && c.badge === 'overdue' && c.stage === 'investigation',
      ],
    ];
    for (const [query, keep] of queries) await expectQueue(as.supervisor, query, open(all).filter(keep));
    await expectQueue(as.supervisor, '?filtered=1', all);
    await expectQueue(as.supervisor, '?filtered=1&open=1', open(all));
    const closed = await expectQueue(
      as.supervisor,
      '?filtered=1&stage=closed',
      all.filter((c) => c.stage === 'closed'),
    );
    expect(closed.text).to.not.match(/class="usa-tag /);
  });

  it('finds one case by its whole tracking number, with or without prefix, dashes and capitals', async () => {
    const c = all.find((x) => x.stage === 'closed')!;
    const bare = c.tracking.slice(3).replace('-', '');
    for (const typed of [c.tracking, c.tracking.toLowerCase(), bare, `oc${bare.toLowerCase()}`, ` ${c.tracking} `]) {
      await expectQueue(as.supervisor, `?filtered=1&number=${encodeURIComponent(typed)}`, [c]);
    }
    // Closed, so not among the open cases.
    await expectQueue(as.supervisor, `?number=${c.tracking}`, []);
  });

  it('pages by 25, keeping the filters in the previous and next links', async () => {
    const want = all;
    expect(want.length).to.be.greaterThan(50);
    let res = await as.supervisor.get('/staff/cases?filtered=1').expect(200);
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      seen.push(...idsOf(res.text));
      const to = Math.min(page * 25, want.length);
      expect(summaryOf(res.text)).to.equal(`Showing ${(page - 1) * 25 + 1}–${to} of ${want.length}`);
      expect(Boolean(hrefOf(res.text, 'Previous page'))).to.equal(page > 1);
      const next = hrefOf(res.text, 'Next page');
      if (!next) break;
      expect(next).to.equal(`/staff/cases?filtered=1&page=${page + 1}`);
      res = await as.supervisor.get(next).expect(200);
    }
    expect(seen).to.deep.equal(want.map((c) => c.id));
    expect(hrefOf(res.text, 'Previous page')).to.equal(
      `/staff/cases?filtered=1&page=${Math.ceil(want.length / 25) - 1}`,
    );

    const filtered = await as.supervisor
      .get(`/staff/cases?assignee=${ids.inv1}&deadline=overdue&deadline=tolled&category=force&page=1`)
      .expect(200);
    const kept = open(all).filter(
      (c) =>
        c.assignee === ids.inv1 && (c.badge === 'overdue' || c.badge === 'tolled') && c.categories.includes('force'),
    );
    expect(idsOf(filtered.text)).to.deep.equal(kept.slice(0, 25).map((c) => c.id));

    const past = await as.supervisor.get('/staff/cases?page=40').expect(200);
    expect(summaryOf(past.text)).to.equal('There are no cases on this page');
    expect(hrefOf(past.text, 'First page')).to.equal('/staff/cases');
  });

  it('lists plain objects for the staff API, with the same badges', async () => {
    const viewer = {
      userId: (
        await database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'intake@example.org')
          .executeTakeFirstOrThrow()
      ).id,
      roles: ['intake' as const],
    };
    const items = [];
    for (let page = 1; page <= 3; page++)
      items.push(...(await services.caseQueue.list(viewer, { openOnly: false, page })).items);
    expect(items.map((i) => i.id)).to.deep.equal(all.map((c) => c.id));
    for (const item of items) {
      const want = all.find((c) => c.id === item.id)!;
      expect(item.badge, want.tracking).to.equal(want.badge);
      expect(item.nextDueAt).to.equal(want.nextDue === null ? null : new Date(want.nextDue).toISOString());
      expect(item.assigneeId).to.equal(want.assignee);
      expect([...item.categories].sort()).to.deep.equal([...want.categories].sort());
    }
    const one = items.find((i) => i.assigneeId === ids.inv1)!;
    expect(Object.keys(one).sort()).to.deep.equal(
      [
        'assigneeId',
        'assigneeName',
        'badge',
        'categories',
        'district',
        'id',
        'nextDueAt',
        'receivedAt',
        'stage',
        'state',
        'trackingNumber',
      ].sort(),
    );
    expect(one.assigneeName).to.equal('Iris Investigator');
    const first = await services.caseQueue.list(viewer);
    expect(first).to.include({ total: open(all).length, page: 1, pageSize: 25 });
  });

  it('shows an investigator only the cases assigned to them now, with no assignee filter', async () => {
    const res = await expectQueue(
      as.inv1,
      '',
      open(all).filter((c) => c.assignee === ids.inv1),
    );
    expect(res.text).to.not.include('id="field-assignee"');
    expect(res.text).to.not.include('/staff/cases/caseload');
    await expectQueue(
      as.inv1,
      '?filtered=1',
      all.filter((c) => c.assignee === ids.inv1),
    );
    await expectQueue(
      as.inv1,
      '?deadline=overdue',
      open(all).filter((c) => c.assignee === ids.inv1 && c.badge === 'overdue'),
    );
    // Another investigator's case by its number is simply not found.
    const other = open(all).find((c) => c.assignee === ids.inv2)!;
    await expectQueue(as.inv1, `?number=${other.tracking}`, []);
    const refused = await as.inv1.get(`/staff/cases?assignee=${ids.inv2}`).expect(400);
    expect(refused.text).to.include('usa-alert--error');
  });

  it('shows intake every case, without the assignee filter or the caseloads', async () => {
    const res = await expectQueue(as.intake, '?view=all', open(all));
    expect(res.text).to.not.include('id="field-assignee"');
    await as.intake.get(`/staff/cases?assignee=${ids.inv1}`).expect(400);
  });

  /** A complaint filed through the workflow `daysAgo` days ago (its clocks run from then), not yet triaged. */
  const newCase = (daysAgo: number) =>
    database.db.transaction().execute((trx) =>
      services.workflow.create(
        trx,
        {
          tracking_number: newTrackingNumber(),
          access_code_hash: 'test:no-code',
          language: 'en',
          channel: 'web',
          anonymous: true,
          narrative: 'A new complaint.',
          district: null,
          received_at: new Date(Date.now() - daysAgo * DAY),
        },
        { actor: { kind: 'complainant' } },
      ),
    );
  const untriaged = () =>
    all.filter((c) => c.state === 'intake.received').sort((a, b) => a.received - b.received || (a.id < b.id ? -1 : 1));

  it('starts intake on the new cases not yet triaged, the oldest received first, with both counts', async () => {
    // The older new case's clocks are pushed past every other's: oldest first is not soonest due first.
    const older = await newCase(40);
    await newCase(1);
    await database.db
      .updateTable('deadlines')
      .set({ due_at: new Date(Date.now() + 400 * DAY) })
      .where('complaint_id', '=', older)
      .execute();
    await syncAllCaseClocks(database.db);
    all = await expected();
    const fresh = untriaged();
    expect(fresh[0]!.id).to.equal(older);
    expect(fresh.map((c) => c.id)).to.not.deep.equal(all.filter((c) => fresh.includes(c)).map((c) => c.id));
    expect(
      all.some((c) => c.state === 'intake.triage'),
      'cases in triage, to be left out',
    ).to.equal(true);

    const res = await expectQueue(as.intake, '', fresh);
    expect(res.text).to.include(`New, not yet triaged (${fresh.length})</a>`);
    expect(res.text).to.include(`All open cases (${open(all).length})</a>`);
    expect(res.text).to.match(/href="\/staff\/cases\?view=new" aria-current="true"/);
    expect(res.text).to.include('<caption>New cases not yet triaged, the oldest first</caption>');
    // The whole queue stays one link away (a bare link would show the new cases again).
    expect(hrefOf(res.text, 'Clear filters')).to.equal('/staff/cases?view=all');
    expect(queueSearch({ untriaged: true }, 2)).to.equal('?view=new&page=2');
    await expectQueue(as.intake, '?view=new&lang=en', fresh);
    await expectQueue(as.intake, '?view=all', open(all));
    // The filters search the whole queue: a case past triage is found by its number.
    const later = open(all).find((c) => c.state === 'investigation.active')!;
    await expectQueue(as.intake, `?filtered=1&open=1&number=${later.tracking}`, [later]);

    // Supervisors start from every open case, the new ones one link away.
    const supervisor = await expectQueue(as.supervisor, '', open(all));
    expect(supervisor.text).to.include(`New, not yet triaged (${fresh.length})</a>`);
    await expectQueue(as.supervisor, '?view=new', fresh);

    // Once triage begins, a case leaves the list.
    const { id: intakeId } = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'intake@example.org')
      .executeTakeFirstOrThrow();
    await services.workflow.dispatch(
      older,
      { type: 'BEGIN_TRIAGE' },
      { kind: 'staff', userId: intakeId, roles: ['intake'], assignedToCase: false },
    );
    all = await expected();
    expect(untriaged().map((c) => c.id)).to.not.include(older);
    const after = await expectQueue(as.intake, '', untriaged());
    expect(after.text).to.include(`New, not yet triaged (${fresh.length - 1})</a>`);
  });

  it('gives investigators and board members no list of new cases: their own cases as before', async () => {
    const res = await expectQueue(
      as.inv1,
      '',
      open(all).filter((c) => c.assignee === ids.inv1),
    );
    expect(res.text).to.not.include('view=new');
    expect(res.text).to.not.include('New, not yet triaged');
    for (const agent of [as.inv1, as.board1]) {
      const refused = await agent.get('/staff/cases?view=new').expect(400);
      expect(refused.text).to.include('id="error-summary"');
      expect(idsOf(refused.text)).to.deep.equal([]);
    }
  });

  it('shows a board member only the cases on an open meeting’s agenda, less those they recused from', async () => {
    const db = database.db;
    // Only this test's agendas: the demo's meetings are set aside.
    await db.deleteFrom('agenda_items').execute();
    await db.deleteFrom('recusals').execute();
    const [a, b, c] = open(all).filter((x) => x.stage === 'boardReview' || x.stage === 'investigation');
    const meeting = await db
      .insertInto('board_meetings')
      .values({ scheduled_for: new Date(Date.now() + 7 * DAY) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const closedMeeting = await db
      .insertInto('board_meetings')
      .values({ scheduled_for: new Date(Date.now() - 7 * DAY), status: 'closed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('agenda_items')
      .values([
        { meeting_id: meeting.id, complaint_id: a!.id, public_reference: 'Item 1' },
        { meeting_id: meeting.id, complaint_id: b!.id, public_reference: 'Item 2' },
        { meeting_id: closedMeeting.id, complaint_id: c!.id, public_reference: 'Item 3' },
      ])
      .execute();
    await db
      .insertInto('recusals')
      .values({ complaint_id: b!.id, member_id: ids.board1, reason: 'Knows the officer' })
      .execute();
    await expectQueue(as.board1, '?filtered=1', [a!]);
    await expectQueue(
      as.board2,
      '?filtered=1',
      [a!, b!].sort((x, y) => all.indexOf(x) - all.indexOf(y)),
    );
    await expectQueue(as.board1, `?number=${b!.tracking}`, []);
    await expectQueue(as.board2, `?number=${c!.tracking}`, []);
  });

  it('does not exist for a user without a case role, and the caseloads only for supervisors', async () => {
    await as.admin.get('/staff/cases').expect(404);
    await as.admin.get('/staff/cases/caseload').expect(404);
    for (const agent of [as.intake, as.inv1, as.board1]) await agent.get('/staff/cases/caseload').expect(404);
    const someone = await createStaff(database.db, []);
    await (await signIn(app, someone)).get('/staff/cases').expect(404);
  });

  it('counts each active investigator’s open cases, overdue, due soon and paused, linked to the queue', async () => {
    const db = database.db;
    const idle = await createStaff(db, ['investigator'], { name: 'Ida Idle' });
    const gone = await createStaff(db, ['investigator'], { name: 'Gus Gone' });
    await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', gone.id).execute();
    const res = await as.supervisor.get('/staff/cases/caseload').expect(200);
    expect(res.text).to.include('Ida Idle');
    expect(res.text).to.not.include('Gus Gone');
    for (const [id, name] of [
      [ids.inv1, 'Iris Investigator'],
      [ids.inv2, 'Ivan Investigador'],
      [idle.id, 'Ida Idle'],
    ] as const) {
      const mine = open(all).filter((c) => c.assignee === id);
      const row = new RegExp(`<th scope="row"[^>]*>${name}</th>([\\s\\S]*?)</tr>`).exec(res.text)![1]!;
      const numbers = [...row.matchAll(/<a class="usa-link" href="([^"]+)">(\d+)</g)].map((m) => [
        m[1]!.replaceAll('&amp;', '&'),
        Number(m[2]),
      ]);
      expect(numbers, name).to.deep.equal([
        [`/staff/cases?assignee=${id}`, mine.length],
        [`/staff/cases?assignee=${id}&deadline=overdue`, mine.filter((c) => c.badge === 'overdue').length],
        [`/staff/cases?assignee=${id}&deadline=dueSoon`, mine.filter((c) => c.badge === 'dueSoon').length],
        [`/staff/cases?assignee=${id}&deadline=tolled`, mine.filter((c) => c.badge === 'tolled').length],
      ]);
      // Each number leads to a queue with that many cases.
      for (const [href, count] of numbers) {
        const queue = await as.supervisor.get(href as string).expect(200);
        expect(summaryOf(queue.text)).to.equal(
          count ? `Showing 1–${Math.min(25, count as number)} of ${count}` : 'No cases match',
        );
      }
    }
  });

  it('answers bad filters with 400 and an error summary, never 500', async () => {
    const bad = [
      'stage=archived',
      'deadline=late',
      'deadline=overdue&deadline=soon',
      'category=nope',
      'district=atlantis',
      'number=hello',
      'number=OC-ABCD-EFG',
      `number=${'X'.repeat(30)}`,
      'assignee=not-a-uuid',
      'assignee=00000000-0000-4000-8000-000000000000',
      'page=0',
      'page=-1',
      'page=abc',
      'page=9999999',
      'open=yes',
      'filtered=2',
      'sort=due',
      'stage=intake&stage=closed',
      'district[x]=1',
      'view=old',
      'view=new&view=all',
      'view[x]=new',
    ];
    for (const query of bad) {
      const res = await as.supervisor.get(`/staff/cases?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.text, query).to.include('id="error-summary"');
      expect(idsOf(res.text), query).to.deep.equal([]);
    }
    const es = await as.supervisor.get('/staff/cases?number=hello&lang=es').expect(400);
    expect(es.text).to.include('Escriba un número de seguimiento completo');
    expect(es.text).to.include('href="#field-number"');
    for (const [language, text] of [
      ['en', 'Choose the new cases or all cases'],
      ['es', 'Elija los casos nuevos o todos los casos'],
    ]) {
      const view = await as.intake.get(`/staff/cases?view=later&lang=${language}`).expect(400);
      expect(view.text).to.include(text);
      expect(view.text).to.include('href="#field-filters"');
    }
  });

  it('speaks Spanish: summary, stages, categories and districts', async () => {
    const res = await as.supervisor.get('/staff/cases?district=north&lang=es').expect(200);
    const want = open(all).filter((c) => c.district === 'north');
    expect(summaryOf(res.text)).to.equal(`Mostrando 1–${want.length} de ${want.length}`);
    expect(res.text).to.include('Norte');
    expect(res.text).to.match(/Investigación|Recepción/);
  });
});
