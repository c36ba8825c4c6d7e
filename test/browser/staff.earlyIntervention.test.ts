import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/platform/db/database.js';
import { VIEWPORTS } from '../support/browser.js';
import { createAdmin, type TestAdmin } from '../support/admin.js';
import { createStaff } from '../support/staff.js';
import { complaintRow } from '../support/complaintRow.js';
import { checkStaffPages, type StaffFixture, type StaffPage } from '../support/staffBrowser.js';

const DAY = 86_400_000;

interface Fixture extends StaffFixture {
  db: Db;
  admin: TestAdmin;
}

const submit = (page: Page, action: string) =>
  Promise.all([page.waitForNavigation(), page.click(`form[method="post"][action="${action}"] button[type="submit"]`)]);

/** The admin's thresholds page, signed in once with password and code (R9). */
const asAdmin = (name: string, after?: (page: Page) => Promise<void>): StaffPage<Fixture> => ({
  name,
  as: 'admin',
  path: () => '/staff/admin/early-intervention',
  ...(after ? { then: after } : {}),
});

/** Complaints naming officers, so that some are flagged, and complainants' answers for the disparity tables. */
async function plantCases(db: Db) {
  await db
    .insertInto('districts')
    .values({ code: 'north', name_en: 'North District', name_es: 'Distrito Norte' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const officers = [];
  for (const [badge, first, last, district] of [
    ['4100', 'María José', 'Fernández-Castillo de la Peña', 'north'],
    ['4101', 'Sam', 'Stone', null],
    ['4102', 'Lee', 'Ng', 'north'],
  ] as const) {
    const { id } = await db
      .insertInto('officers')
      .values({ badge_number: badge, first_name: first, last_name: last, district })
      .returning('id')
      .executeTakeFirstOrThrow();
    officers.push(id);
  }
  const answers = [
    { gender: 'woman', races: ['hispanic'], ageRange: '25_34' },
    { gender: 'man', races: ['black', 'white'], ageRange: '45_54' },
    null,
    undefined,
  ];
  for (let i = 0; i < 24; i++) {
    const { id } = await db
      .insertInto('complaints')
      .values(
        complaintRow(`OC-BR${String(i + 1).padStart(4, '0')}`, {
          received_at: new Date(Date.now() - (5 + i * 12) * DAY),
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const demographics = answers[i % answers.length];
    if (demographics !== undefined) {
      await db
        .insertInto('complainants')
        .values({
          complaint_id: id,
          role: 'complainant',
          demographics: demographics === null ? null : JSON.stringify(demographics),
        })
        .execute();
    }
    const decided = i % 3 !== 0;
    await db
      .insertInto('allegations')
      .values({
        complaint_id: id,
        officer_id: officers[i % officers.length]!,
        category: i % 2 === 0 ? 'force' : 'discourtesy',
        finding: decided ? (i % 4 === 1 ? 'sustained' : 'not_sustained') : null,
        decided_at: decided ? new Date(Date.now() - DAY) : null,
      })
      .execute();
  }
}

checkStaffPages<Fixture>(
  'early intervention: flags, disparity and thresholds',
  async ({ db, services }) => {
    await plantCases(db);
    const supervisor = await createStaff(db, ['supervisor'], { name: 'Sam Supervisor' });
    const admin = await createAdmin(services, db, ['admin']);
    return { staff: { supervisor, admin }, db, admin };
  },
  [
    {
      name: 'the flagged officers',
      as: 'supervisor',
      path: () => '/staff/early-intervention',
      then: async (page) => {
        // A summary table first, one row per officer, linking to each officer's cases further down.
        const rows = page.locator('table.app-flag-summary tbody tr');
        expect(await rows.count(), 'a row for each flagged officer').to.equal(3);
        const first = await rows.first().locator('a').getAttribute('href');
        expect(await page.locator(`h3${first!}`).count(), 'its link leads to the officer').to.equal(1);
        const shown = await page.evaluate(
          () => Array.from(document.querySelectorAll('main table')).filter((t) => t.checkVisibility()).length,
        );
        expect(shown, 'only the summary shows before the cases are asked for').to.equal(1);
        if (page.viewportSize()?.width === VIEWPORTS.phone.width) {
          // At 375 px in Spanish: 11,031 px before (each officer's cases open, one under another), 4,126 after.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          expect(height, 'height of the page at 375 px').to.be.below(5_000);
        }
        // Then every officer's cases opened, for the checks of the page (axe, no sideways scrolling).
        for (const summary of await page.locator('main details > summary').all()) await summary.click();
        expect(await page.locator('main details[open]').count()).to.equal(3);
      },
    },
    { name: 'the disparity view', as: 'supervisor', path: () => '/staff/early-intervention/disparity' },
    {
      name: 'the disparity view for a chosen period',
      as: 'supervisor',
      path: () => '/staff/early-intervention/disparity?from=2020-01-01&to=2030-12-31',
    },
    {
      name: 'the disparity view with a bad period',
      as: 'supervisor',
      path: () => '/staff/early-intervention/disparity?from=2024-13-01&to=2024-01-01',
      status: 401,
    },
    asAdmin('the thresholds'),
    asAdmin('the thresholds with errors', async (page) => {
      await page.fill('#field-complaintsCount', '0');
      await page.fill('#field-forceMonths', 'a year');
      await page.click('label[for="field-forceCategories-1"]');
      await submit(page, '/staff/admin/early-intervention');
      expect(await page.locator('#error-summary li').count(), 'errors in the summary').to.equal(3);
    }),
  ],
);
