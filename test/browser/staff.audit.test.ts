import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/db/database.js';
import { newTotpSecret, totpCode } from '../../server/services/totp.js';
import { csrfOf } from '../support/resident.js';
import { createStaff } from '../support/staff.js';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

interface AdminFixture extends StaffFixture {
  db: Db;
  secret: string;
  trackingNumber: string;
}

/**
 * The admin pages need a second factor: checkStaffPages signs in with the password only, so each
 * page signs in again with the password and a TOTP code first. A code works once (R9); the test
 * forgets the last used step so every sign-in can use the current code. The two POSTs go through
 * the request API, which does not follow redirects: a browser follows a 303 as soon as its headers
 * arrive, which can be before express-session has saved the session (seen on PostgreSQL).
 */
const withCode =
  (after?: (page: Page) => Promise<void>) =>
  async (page: Page, fixture: AdminFixture): Promise<void> => {
    const here = new URL(page.url());
    const next = here.searchParams.get('next') ?? '/staff';
    const admin = fixture.staff['admin']!;
    await fixture.db.updateTable('users').set({ totp_last_step: null }).where('id', '=', admin.id).execute();
    const submitForm = async (url: string, fields: Record<string, string>) => {
      const html = await (await page.request.get(`${here.origin}${url}`)).text();
      const res = await page.request.post(`${here.origin}${url}`, {
        form: { _csrf: csrfOf(html), ...fields },
        maxRedirects: 0,
      });
      expect(res.status(), url).to.equal(303);
    };
    await submitForm('/staff/sign-in', { email: admin.email, password: admin.password });
    await submitForm('/staff/sign-in/code', { code: totpCode(fixture.secret, new Date()) });
    await page.goto(`${here.origin}${next}`);
    expect(new URL(page.url()).pathname, 'signed in and on the page').to.equal(new URL(next, here.origin).pathname);
    await after?.(page);
  };

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
    const admin = await createStaff(db, ['admin']);
    const secret = newTotpSecret();
    const user = (await services.auth.principal(admin.id))!;
    await services.auth.confirmEnrolment(user, secret, totpCode(secret, new Date()));
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
    return { staff: { admin }, db, secret, trackingNumber: held.tracking_number };
  },
  [
    { name: 'audit log', as: 'admin', path: () => '/staff/admin/audit', then: withCode() },
    {
      name: 'audit log with filter errors',
      as: 'admin',
      path: () => '/staff/admin/audit?from=2024-13-45&actor=someone',
      then: withCode(showsErrors),
    },
    {
      name: 'audit chain check',
      as: 'admin',
      path: () => '/staff/admin/audit',
      then: withCode(async (page) => {
        await submit(page, '/staff/admin/audit/verify');
        expect(await page.locator('.usa-alert--success').count()).to.equal(1);
      }),
    },
    { name: 'records retention', as: 'admin', path: () => '/staff/admin/retention', then: withCode() },
    {
      name: 'retention policy with errors',
      as: 'admin',
      path: () => '/staff/admin/retention',
      then: withCode(async (page) => {
        await page.fill('#field-referred', '0');
        await page.fill('#field-sustained', '');
        await submit(page, '/staff/admin/retention/policy');
        await showsErrors(page);
      }),
    },
    {
      name: 'legal hold of a case',
      as: 'admin',
      path: (f) => `/staff/admin/retention/hold?trackingNumber=${f.trackingNumber}`,
      then: withCode(),
    },
    {
      name: 'legal hold without a reason',
      as: 'admin',
      path: (f) => `/staff/admin/retention/hold?trackingNumber=${f.trackingNumber}`,
      then: withCode(async (page) => {
        await submit(page, '/staff/admin/retention/hold');
        await showsErrors(page);
      }),
    },
    { name: 'cases past retention', as: 'admin', path: () => '/staff/admin/retention/due', then: withCode() },
    { name: 'purge confirmation', as: 'admin', path: () => '/staff/admin/retention/purge', then: withCode() },
  ],
);
