import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/platform/db/database.js';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Services } from '../../server/compose.js';
import { createAdmin, type TestAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { ballotFor, boardReviewCase } from '../support/board.js';
import { chromiumAvailable, closeBrowser, listen, requireChromium, sharedBrowser } from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { checkStaffPages, signInInBrowser, type StaffFixture, type StaffPage } from '../support/staffBrowser.js';

const DAY = 86_400_000;
const DEMO_PASSWORD = 'demo-password-for-tests';

interface BoardFixture extends StaffFixture {
  db: Db;
  services: Services;
  admin: TestAdmin;
  organiser: Viewer;
  scheduled: string;
  voting: string;
  closed: string;
  openItem: string;
  closedItem: string;
}

/** Submits the form posting to an address ending in `action` and waits for the page it answers with. */
const submit = (page: Page, action: string) =>
  Promise.all([page.waitForNavigation(), page.click(`form[method="post"][action$="${action}"] button[type="submit"]`)]);

const showsErrors = async (page: Page, count: number) => {
  expect(await page.locator('#error-summary li').count(), 'errors in the summary').to.equal(count);
};

/** A meeting with these cases on its agenda, its vote opened when `open`. */
async function meetingWith(services: Services, organiser: Viewer, cases: string[], when: Date, open: boolean) {
  const meetingId = await services.boardMeetings.schedule(organiser, {
    scheduledFor: when,
    location: 'City Hall, Room 201',
  });
  const items: string[] = [];
  for (const id of cases) items.push((await services.boardMeetings.addCase(organiser, meetingId, id)).id);
  if (open) await services.boardMeetings.openVoting(organiser, meetingId);
  return { meetingId, items };
}

/** The admin's board settings, signed in once with password and code (R9). */
const asAdmin = (name: string, after?: (page: Page, f: BoardFixture) => Promise<void>): StaffPage<BoardFixture> => ({
  name,
  as: 'admin',
  path: () => '/staff/admin/board',
  ...(after ? { then: after } : {}),
});

checkStaffPages<BoardFixture>(
  'board: meetings, agenda, ballots, recusal, minutes and settings',
  async ({ db, services }) => {
    const supervisor = await createStaff(db, ['supervisor'], { name: 'Sam Supervisor' });
    const organiser: Viewer = { userId: supervisor.id, roles: ['supervisor'] };
    const names = ['Beatriz Fernández-Castillo', 'Bernard Board', 'Bao Board'];
    const members = [];
    for (const name of names) members.push(await createStaff(db, ['board'], { name }));
    const viewers: Viewer[] = members.map((m) => ({ userId: m.id, roles: ['board'] }));
    await services.boardSettings.save(supervisor.id, {
      quorum: { kind: 'majority' },
      tieRule: 'not_sustained',
      seated: members.map((m) => m.id),
      seesIdentity: false,
      publicMemberNames: false,
    });
    const cases = [];
    for (let k = 0; k < 5; k++) cases.push(await boardReviewCase(services, db, { allegations: 2 }));
    const [c1, c2, c3, c4] = cases as [string, string, string, string, string];
    // A past meeting that decided a case, each member with reasons.
    const closed = await meetingWith(services, organiser, [c4], new Date(Date.now() - 14 * DAY), true);
    for (const [k, viewer] of viewers.entries()) {
      const ballot = await ballotFor(db, c4, k === 2 ? 'not_sustained' : 'sustained', 'Retraining in de-escalation.');
      await services.boardVotes.vote(
        viewer,
        closed.items[0]!,
        ballot.map((b) => ({ ...b, rationale: `The body-worn video shows the push clearly (member ${k + 1}).` })),
      );
    }
    await services.boardMeetings.closeVoting(organiser, closed.meetingId);
    // Today's meeting, voting, one member recused from its second case; next week's, scheduled.
    const voting = await meetingWith(services, organiser, [c2, c3], new Date(), true);
    await services.boardVotes.recuse(viewers[2]!, voting.items[1]!, 'A relative is a witness.');
    await services.boardVotes.vote(viewers[0]!, voting.items[0]!, await ballotFor(db, c2, 'exonerated'));
    const scheduled = await meetingWith(services, organiser, [c1], new Date(Date.now() + 7 * DAY), false);
    // The fifth case waits for a meeting.
    const admin = await createAdmin(services, db);
    return {
      staff: { supervisor, member: members[0]!, other: members[1]!, recused: members[2]!, admin },
      db,
      services,
      admin,
      organiser,
      scheduled: scheduled.meetingId,
      voting: voting.meetingId,
      closed: closed.meetingId,
      openItem: voting.items[0]!,
      closedItem: closed.items[0]!,
    };
  },
  [
    { name: 'meetings, for an organiser', as: 'supervisor', path: () => '/staff/board' },
    {
      name: 'meetings, schedule with errors',
      as: 'supervisor',
      path: () => '/staff/board',
      status: 401,
      then: async (page) => {
        await page.fill('#field-location', 'Council chamber');
        await submit(page, '/staff/board/meetings');
        await showsErrors(page, 2);
      },
    },
    { name: 'meetings, for a member', as: 'member', path: () => '/staff/board' },
    {
      name: 'a scheduled meeting, for an organiser',
      as: 'supervisor',
      path: (f) => `/staff/board/meetings/${f.scheduled}`,
    },
    {
      name: 'a scheduled meeting, add a case with errors',
      as: 'supervisor',
      path: (f) => `/staff/board/meetings/${f.scheduled}`,
      then: async (page) => {
        await submit(page, '/items');
        await showsErrors(page, 1);
      },
    },
    { name: 'a voting meeting, for an organiser', as: 'supervisor', path: (f) => `/staff/board/meetings/${f.voting}` },
    {
      name: 'a meeting answering 409: closing a vote closed meanwhile',
      as: 'supervisor',
      path: (f) => `/staff/board/meetings/${f.scheduled}`,
      then: async (page, f) => {
        const fresh = await meetingWith(f.services, f.organiser, [], new Date(), true);
        await page.goto(`${new URL(page.url()).origin}/staff/board/meetings/${fresh.meetingId}`);
        await f.services.boardMeetings.closeVoting(f.organiser, fresh.meetingId);
        await submit(page, `/staff/board/meetings/${fresh.meetingId}/close`);
        expect(await page.locator('.usa-alert--warning').count()).to.equal(1);
      },
    },
    { name: 'a voting meeting, for a member', as: 'member', path: (f) => `/staff/board/meetings/${f.voting}` },
    { name: 'a voting meeting, for a recused member', as: 'recused', path: (f) => `/staff/board/meetings/${f.voting}` },
    { name: 'a closed meeting, for a member', as: 'member', path: (f) => `/staff/board/meetings/${f.closed}` },
    {
      name: 'close voting: the confirmation',
      as: 'supervisor',
      path: (f) => `/staff/board/meetings/${f.voting}/close`,
    },
    { name: 'a ballot, voted', as: 'member', path: (f) => `/staff/board/items/${f.openItem}/ballot` },
    { name: 'a ballot, not yet voted', as: 'other', path: (f) => `/staff/board/items/${f.openItem}/ballot` },
    {
      name: 'a ballot with errors',
      as: 'other',
      path: (f) => `/staff/board/items/${f.openItem}/ballot`,
      then: async (page) => {
        await submit(page, '/ballot');
        await showsErrors(page, 2);
      },
    },
    {
      name: 'a ballot, recusal with errors',
      as: 'other',
      path: (f) => `/staff/board/items/${f.openItem}/ballot`,
      then: async (page) => {
        await submit(page, '/recuse');
        await showsErrors(page, 2);
      },
    },
    {
      name: 'a ballot answering 409: the vote closed meanwhile',
      as: 'other',
      path: (f) => `/staff/board/items/${f.closedItem}/ballot`,
      then: async (page, f) => {
        const complaintId = await boardReviewCase(f.services, f.db);
        const fresh = await meetingWith(f.services, f.organiser, [complaintId], new Date(), true);
        await page.goto(`${new URL(page.url()).origin}/staff/board/items/${fresh.items[0]}/ballot`);
        for (const select of await page.$$('form[action$="/ballot"] select')) await select.selectOption('unfounded');
        await f.services.boardMeetings.closeVoting(f.organiser, fresh.meetingId);
        await submit(page, '/ballot');
        expect(await page.locator('[role="alert"]').count()).to.equal(1);
      },
    },
    {
      name: 'a ballot, read-only after the close',
      as: 'member',
      path: (f) => `/staff/board/items/${f.closedItem}/ballot`,
    },
    { name: 'minutes, for an organiser', as: 'supervisor', path: (f) => `/staff/board/meetings/${f.closed}/minutes` },
    {
      name: 'minutes during the vote, for a recused member',
      as: 'recused',
      path: (f) => `/staff/board/meetings/${f.voting}/minutes`,
    },
    asAdmin('board settings'),
    asAdmin('board settings with errors', async (page) => {
      await page.click('label[for="field-quorum-2"]');
      await page.fill('#field-quorumCount', '9');
      await submit(page, '/staff/admin/board');
      await showsErrors(page, 1);
    }),
  ],
);

describe('the demo board in a browser: one member recuses, four vote, and the case is decided', function () {
  const database = useDatabase({ demo: true });
  let server: Awaited<ReturnType<typeof listen>>;
  let services: Services;

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    services = built.services;
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    server = await listen(built.app);
  });
  after(async () => {
    await server?.close();
    if (chromiumAvailable) await closeBrowser();
  });

  it('board1..board5 sign in one after another; board3 recuses, the others vote through the ballot form', async function () {
    this.timeout(240_000);
    const db = database.db;
    const meeting = await db
      .selectFrom('board_meetings')
      .select('id')
      .where('status', '=', 'voting')
      .executeTakeFirstOrThrow();
    const item = await db
      .selectFrom('agenda_items')
      .select(['id', 'complaint_id', 'public_reference'])
      .where('meeting_id', '=', meeting.id)
      .orderBy('position')
      .executeTakeFirstOrThrow();
    const browser = await sharedBrowser();
    const click = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);
    const plan: Record<string, string | 'recuse'> = {
      board1: 'sustained',
      board2: 'sustained',
      board3: 'recuse',
      board4: 'not_sustained',
      board5: 'sustained',
    };
    let last: Page | undefined;
    for (const [who, finding] of Object.entries(plan)) {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      try {
        await signInInBrowser(page, server.baseUrl, 'en', {
          id: '',
          email: `${who}@example.org`,
          password: DEMO_PASSWORD,
          roles: [],
        });
        // The sign-in's redirect can arrive before its session is stored (see signInAdminInBrowser):
        // open the start page once more, then go from the menu to today's meeting and its first ballot.
        await page.goto(`${server.baseUrl}/staff/cases`);
        await click(page, '.app-staff-nav a[href="/staff/board"]');
        await click(page, `a[href="/staff/board/meetings/${meeting.id}"]`);
        await click(page, `a[href="/staff/board/items/${item.id}/ballot"]`);
        if (finding === 'recuse') {
          await page.fill('#field-reason', 'I know the complainant from my neighbourhood association.');
          await page.click('label[for="field-confirm-1"]');
          await click(page, 'form[action$="/recuse"] button[type="submit"]');
          expect(await page.textContent('main')).to.contain('You recused from this case.');
          const gone = await page.goto(`${server.baseUrl}/staff/board/items/${item.id}/ballot`);
          expect(gone?.status()).to.equal(404);
          const file = await page.goto(`${server.baseUrl}/staff/cases/${item.complaint_id}`);
          expect(file?.status()).to.equal(404);
        } else {
          for (const select of await page.$$('form[action$="/ballot"] select')) await select.selectOption(finding);
          const first = page.locator('form[action$="/ballot"] textarea[name^="rationale-"]').first();
          await first.fill(`Reasons of ${who}: the video and two witnesses agree.`);
          if (finding === 'sustained') {
            await page
              .locator('form[action$="/ballot"] textarea[name^="recommendation-"]')
              .first()
              .fill('Retraining in de-escalation.');
          }
          await click(page, 'form[action$="/ballot"] button[type="submit"]');
          expect(await page.textContent('main')).to.contain('Your vote has been saved');
        }
        if (who === 'board5') {
          // The last vote decided the case: the member lands on the case page, decided.
          expect(new URL(page.url()).pathname).to.equal(`/staff/cases/${item.complaint_id}`);
          expect(await page.textContent('main')).to.contain('the board has decided this case');
          expect(await page.textContent('main h1 + p .usa-tag')).to.equal('Decided');
          await page.goto(`${server.baseUrl}/staff/board/meetings/${meeting.id}`);
          const entry = page.locator('li', { hasText: item.public_reference });
          expect(await entry.textContent()).to.match(/Status\s*Decided/);
          last = page;
        }
      } finally {
        if (page !== last) await context.close();
      }
    }
    await last?.context().close();
    const state = await db
      .selectFrom('complaints')
      .select('state')
      .where('id', '=', item.complaint_id)
      .executeTakeFirstOrThrow();
    expect(state.state).to.equal('disposition');
    const outcome = await db
      .selectFrom('agenda_items')
      .select('outcome')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(outcome.outcome).to.equal('decided');
    const votes = await db.selectFrom('votes').select('member_id').where('agenda_item_id', '=', item.id).execute();
    expect(new Set(votes.map((v) => v.member_id)).size).to.equal(4);
    const recusals = await db
      .selectFrom('recusals')
      .select('id')
      .where('complaint_id', '=', item.complaint_id)
      .execute();
    expect(recusals).to.have.length(1);
  });
});
