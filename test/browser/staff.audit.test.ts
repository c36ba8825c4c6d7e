import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createAdmin } from '../support/admin.js';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

interface AdminFixture extends StaffFixture {
  trackingNumber: string;
}

const submit = async (page: Page, form: string) => {
  await Promise.all([
    page.waitForNavigation(),
    page.click(`form[method="post"][action="${form}"] button[type="submit"]`),
  ]);
};
const showsErrors = async (page: Page) => {
  expect(await page.locator('#error-summary').count()).to.equal(1);
};

checkStaffPages<AdminFixture>(
  'audit log and records retention',
  async ({ db, services }) => {
    await services.demo.ensureDemoData('demo-password-for-tests');
    const admin = await createAdmin(services, db);
    const yearsAgo = new Date(Date.now() - 6 * 365.25 * 24 * 3600 * 1000);
    await db.updateTable('complaints').set({ closed_at: yearsAgo }).where('closed_at', 'is not', null).execute();
    const held = await db
      .selectFrom('complaints')
      .select(['id', 'tracking_number'])
      .where('outcome', '=', 'dismissed')
      .executeTakeFirstOrThrow();
    await services.retention.setLegalHold({
      actorId: admin.id,
      complaintId: held.id,
      hold: true,
      reason: 'Litigation pending',
    });
    return { staff: { admin }, trackingNumber: held.tracking_number };
  },
  [
    { name: 'audit log', as: 'admin', path: () => '/staff/admin/audit' },
    {
      name: 'audit log with filter errors',
      as: 'admin',
      path: () => '/staff/admin/audit?from=2024-13-45&actor=someone',
      status: 401,
      then: showsErrors,
    },
    {
      name: 'audit chain check',
      as: 'admin',
      path: () => '/staff/admin/audit',
      then: async (page) => {
        await submit(page, '/staff/admin/audit/verify');
        expect(await page.locator('.usa-alert--success').count()).to.equal(1);
      },
    },
    { name: 'records retention', as: 'admin', path: () => '/staff/admin/retention' },
    {
      name: 'retention policy with errors',
      as: 'admin',
      path: () => '/staff/admin/retention',
      then: async (page) => {
        await page.fill('#field-referred', '0');
        await page.fill('#field-sustained', '');
        await submit(page, '/staff/admin/retention/policy');
        await showsErrors(page);
      },
    },
    {
      name: 'legal hold of a case',
      as: 'admin',
      path: (f) => `/staff/admin/retention/hold?trackingNumber=${f.trackingNumber}`,
    },
    {
      name: 'legal hold without a reason',
      as: 'admin',
      path: (f) => `/staff/admin/retention/hold?trackingNumber=${f.trackingNumber}`,
      then: async (page) => {
        await submit(page, '/staff/admin/retention/hold');
        await showsErrors(page);
      },
    },
    { name: 'cases past retention', as: 'admin', path: () => '/staff/admin/retention/due' },
    { name: 'purge confirmation', as: 'admin', path: () => '/staff/admin/retention/purge' },
  ],
  { demo: true },
);
