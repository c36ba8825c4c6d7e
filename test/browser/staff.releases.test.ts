import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createAdmin } from '../support/admin.js';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

const DEMO_PASSWORD = 'demo-password-for-tests';

interface Fixture extends StaffFixture {
  releaseId: string;
  trackingNumbers: string[];
  /** A release of a case reopened since. */
  reopenedId: string;
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
    // Another decided case, released and then reopened.
    const other = await db
      .selectFrom('complaints')
      .select(['id', 'tracking_number'])
      .where('stage', 'in', ['disposition', 'closed'])
      .where('tracking_number', 'not in', release.tracking_numbers)
      .executeTakeFirstOrThrow();
    const supervisor = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'supervisor@example.org')
      .executeTakeFirstOrThrow();
    const reopened = await services.releases.make(
      { userId: supervisor.id, roles: ['supervisor'] },
      { reference: 'PRA-REOPENED', trackingNumbers: [other.tracking_number], include: [], officers: 'none' },
      'browser-test',
    );
    if (reopened.kind !== 'made') throw new Error('the release of a decided case was refused');
    await db.updateTable('complaints').set({ stage: 'investigation' }).where('id', '=', other.id).execute();
    return {
      staff: {
        supervisor: { id: '', email: 'supervisor@example.org', password: DEMO_PASSWORD, roles: ['supervisor'] },
        admin: await createAdmin(services, db),
      },
      releaseId: release.id,
      trackingNumbers: release.tracking_numbers,
      reopenedId: reopened.id,
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
      name: 'the form of an admin, who may not include narratives, refusing a forged one',
      as: 'admin',
      path: () => '/staff/releases/new',
      then: async (page, f) => {
        expect(await page.locator('input[name="narrative"]').count()).to.equal(0);
        await page.fill('#field-reference', 'PRA-FORGED');
        await page.fill('#field-trackingNumbers', f.trackingNumbers.join('\n'));
        await page.evaluate(() => {
          const forged = Object.assign(document.createElement('input'), { type: 'hidden', name: 'narrative' });
          forged.value = 'include';
          document.querySelector('main form')!.append(forged);
        });
        await submit(page);
        expect(await page.locator('#error-summary li').count()).to.equal(1);
      },
    },
    {
      name: 'a release with a case reopened since',
      as: 'supervisor',
      path: (f) => `/staff/releases/${f.reopenedId}`,
      then: async (page) => {
        const text = await page.locator('.app-release-case').first().textContent();
        expect(text).to.match(/no longer be released|ya no se puede divulgar/);
      },
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
