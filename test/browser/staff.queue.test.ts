import { syncAllCaseClocks } from '../../server/platform/deadlines/deadline.repository.js';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { checkStaffPages } from '../support/staffBrowser.js';

const DEMO_PASSWORD = 'demo-password-for-tests';
const DAY = 86_400_000;

const demoStaff = (email: string) => ({ id: '', email, password: DEMO_PASSWORD, roles: [] });
/**
 * At a desk (1280 px and wider) every column shows, District and Received included, without
 * scrolling the table sideways; on a phone each case is a compact card, well under 200 px tall.
 */
async function queueFits(page: Page) {
  const table = await page.evaluate(() => {
    const box = document.querySelector('.usa-table-container--scrollable')!;
    const right = box.getBoundingClientRect().right;
    return {
      scrollWidth: box.scrollWidth,
      clientWidth: box.clientWidth,
      hidden: Array.from(box.querySelectorAll('thead th'))
        .filter((th) => th.getBoundingClientRect().right > right + 0.5)
        .map((th) => th.textContent),
      heights: Array.from(box.querySelectorAll('tbody tr')).map((tr) => tr.getBoundingClientRect().height),
    };
  });
  expect(table.heights.length, 'cases shown').to.be.greaterThan(0);
  if (page.viewportSize()!.width >= 1280) {
    expect(table.scrollWidth, 'table scrolls sideways').to.be.at.most(table.clientWidth);
    expect(table.hidden, 'columns out of view').to.deep.equal([]);
  } else {
    expect(Math.max(...table.heights), 'height of a case').to.be.below(200);
  }
}

const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

checkStaffPages(
  'case queue and caseloads',
  async ({ db, services }) => {
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    // Every badge on the pages: the demo's missed acknowledgements met for half the cases and
    // the paused ones, and two clocks brought near.
    const cases = await db.selectFrom('complaints').select('id').orderBy('tracking_number').execute();
    const tolled = await db.selectFrom('deadlines').select('complaint_id').where('tolled_at', 'is not', null).execute();
    const met = [...cases.filter((_, i) => i % 2 === 0).map((c) => c.id), ...tolled.map((t) => t.complaint_id)];
    await db
      .updateTable('deadlines')
      .set({ status: 'met' })
      .where('kind', '=', 'acknowledge')
      .where('complaint_id', 'in', met)
      .execute();
    const near = await db
      .selectFrom('deadlines')
      .select('id')
      .where('complaint_id', 'in', met)
      .where('status', '=', 'open')
      .where('tolled_at', 'is', null)
      .orderBy('due_at')
      .limit(2)
      .execute();
    for (const d of near) {
      await db
        .updateTable('deadlines')
        .set({ due_at: new Date(Date.now() + 5 * DAY) })
        .where('id', '=', d.id)
        .execute();
    }
    // Edited behind the deadline service's back: copy the clocks' facts onto the cases.
    await syncAllCaseClocks(db);
    return {
      staff: {
        supervisor: demoStaff('supervisor@example.org'),
        investigator: demoStaff('investigator1@example.org'),
        board: demoStaff('board2@example.org'),
      },
    };
  },
  [
    { name: 'the queue', as: 'supervisor', path: () => '/staff/cases', then: queueFits },
    {
      name: 'the queue, new cases not yet triaged',
      as: 'supervisor',
      path: () => '/staff/cases?view=new',
      then: queueFits,
    },
    {
      name: 'the queue, every badge',
      as: 'supervisor',
      path: () => '/staff/cases?deadline=dueSoon&deadline=tolled&page=1',
    },
    { name: 'the queue, last page of all cases', as: 'supervisor', path: () => '/staff/cases?filtered=1&page=3' },
    { name: 'the queue with bad filters', as: 'supervisor', path: () => '/staff/cases?stage=x&page=0', status: 401 },
    {
      name: 'the queue, a tracking number refused',
      as: 'supervisor',
      path: () => '/staff/cases',
      then: async (page) => {
        await page.fill('#field-number', 'OC-12');
        await page.click('label[for="field-open-1"]');
        await submit(page);
      },
    },
    { name: 'the queue of an investigator', as: 'investigator', path: () => '/staff/cases?category=force' },
    { name: 'the queue of a board member, empty', as: 'board', path: () => '/staff/cases' },
    { name: 'caseloads', as: 'supervisor', path: () => '/staff/cases/caseload' },
  ],
  { demo: true },
);
