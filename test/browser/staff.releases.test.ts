import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

const DEMO_PASSWORD = 'demo-password-for-tests';

interface Fixture extends StaffFixture {
  releaseId: string;
  trackingNumbers: string[];
}

const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

/** On paper: the staff-only parts gone, and each case starting a page of its own. */
async function expectPrintLayout(page: Page) {
  await page.emulateMedia({ media: 'print' });
  const layout = await page.evaluate(() => ({
    breaks: Array.from(document.querySelectorAll('.app-release-case')).map((s) => getComputedStyle(s).breakBefore),
    hidden: Array.from(document.querySelectorAll('.app-no-print, .app-staff-bar')).every(
      (e) => e.getClientRects().length === 0,
    ),
  }));
  await page.emulateMedia({ media: 'screen' });
  expect(layout.breaks.length, 'cases in the release').to.be.greaterThan(0);
  expect(layout.breaks.every((b) => b === 'page')).to.equal(true);
  expect(layout.hidden, 'staff-only lines printed').to.equal(true);
}

checkStaffPages<Fixture>(
  'public-records releases',
  async ({ db, services }) => {
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    const release = await db
      .selectFrom('records_releases')
      .select(['id', 'tracking_numbers'])
      .executeTakeFirstOrThrow();
    return {
      staff: {
        supervisor: { id: '', email: 'supervisor@example.org', password: DEMO_PASSWORD, roles: ['supervisor'] },
      },
      releaseId: release.id,
      trackingNumbers: release.tracking_numbers,
    };
  },
  [
    { name: 'the list', as: 'supervisor', path: () => '/staff/releases' },
    { name: 'the form', as: 'supervisor', path: () => '/staff/releases/new' },
    {
      name: 'the form, with errors',
      as: 'supervisor',
      path: () => '/staff/releases/new',
      then: async (page) => {
        await submit(page);
        expect(await page.locator('#error-summary li').count()).to.equal(2);
      },
    },
    {
      name: 'a release',
      as: 'supervisor',
      path: (f) => `/staff/releases/${f.releaseId}`,
      then: expectPrintLayout,
    },
    {
      name: 'making a release with the narrative',
      as: 'supervisor',
      path: () => '/staff/releases/new',
      then: async (page, f) => {
        await page.fill('#field-reference', 'PRA-BROWSER');
        await page.fill('#field-trackingNumbers', f.trackingNumbers.join('\n'));
        await page.click('label[for="field-narrative-1"]');
        await submit(page);
        expect(new URL(page.url()).pathname).to.match(/^\/staff\/releases\/[0-9a-f-]{36}$/);
        expect(await page.locator('.app-release-case').count()).to.equal(f.trackingNumbers.length);
        await expectPrintLayout(page);
      },
    },
  ],
  { demo: true },
);
