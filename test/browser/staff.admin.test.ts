import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/platform/db/database.js';
import { createAdmin, type TestAdmin } from '../support/admin.js';
import { createStaff } from '../support/staff.js';
import { checkStaffPages, type StaffFixture, type StaffPage } from '../support/staffBrowser.js';

interface AdminFixture extends StaffFixture {
  db: Db;
  admin: TestAdmin;
  otherId: string;
}

/** Submits the form posting to `action` and waits for the page it answers with. */
const submit = (page: Page, action: string) =>
  Promise.all([page.waitForNavigation(), page.click(`form[method="post"][action="${action}"] button[type="submit"]`)]);

const showsErrors = async (page: Page, count: number) => {
  expect(await page.locator('#error-summary li').count(), 'errors in the summary').to.equal(count);
};

/**
 * An admin page: the admin has signed in through the forms with password and code (R9) once, and
 * lands on the page; `after` may then fill in a form to show its errors.
 */
const asAdmin = (
  name: string,
  path: (f: AdminFixture) => string,
  after?: (page: Page, f: AdminFixture) => Promise<void>,
): StaffPage<AdminFixture> => ({ name, as: 'admin', path, ...(after ? { then: after } : {}) });

checkStaffPages<AdminFixture>(
  'administration: users, deadlines, holidays, email problems',
  async ({ db, services }) => {
    const admin = await createAdmin(services, db, ['admin', 'supervisor']);
    const other = await createAdmin(services, db, ['investigator', 'board']);
    await createStaff(db, ['intake'], { name: 'Dolores Fuentes-Aguilar de la Torre' });
    await db
      .updateTable('users')
      .set({ failed_logins: 5, locked_until: new Date(Date.now() + 3600_000) })
      .where('id', '=', other.id)
      .execute();
    const year = new Date().getUTCFullYear();
    await db
      .insertInto('holidays')
      .values([
        { day: `${year + 1}-03-17`, name: 'Founders day', source: 'admin' },
        { day: `${year - 1}-11-24`, name: 'Day after Thanksgiving', source: 'calendar' },
      ])
      .execute();
    await db
      .insertInto('outbox')
      .values({
        recipient: 'someone.with.a.long.address@example.org',
        template: 'deadlineBreached',
        language: 'en',
        data: '{}',
        status: 'dead',
        attempts: 4,
        last_error: 'SMTP 550',
        next_attempt_at: new Date(),
      })
      .execute();
    return { staff: { admin }, db, admin, otherId: other.id };
  },
  [
    asAdmin('administration home', () => '/staff/admin'),
    asAdmin('users', () => '/staff/admin/users'),
    asAdmin('add a user', () => '/staff/admin/users/new'),
    asAdmin(
      'add a user with errors',
      () => '/staff/admin/users/new',
      async (page) => {
        await page.fill('#field-email', 'not an address');
        await submit(page, '/staff/admin/users');
        await showsErrors(page, 2);
      },
    ),
    asAdmin('a user, locked, with two-step sign-in', (f) => `/staff/admin/users/${f.otherId}`),
    asAdmin('my own user page', (f) => `/staff/admin/users/${f.admin.id}`),
    asAdmin(
      'a user with errors',
      (f) => `/staff/admin/users/${f.otherId}`,
      async (page, f) => {
        await page.fill('#field-displayName', '');
        await submit(page, `/staff/admin/users/${f.otherId}`);
        await showsErrors(page, 1);
      },
    ),
    asAdmin('deadline policy', () => '/staff/admin/deadlines'),
    asAdmin('change a deadline policy', () => '/staff/admin/deadlines/statutory'),
    asAdmin(
      'change a deadline policy with errors',
      () => '/staff/admin/deadlines/acknowledge',
      async (page) => {
        await page.fill('#field-amount', '0');
        await page.fill('#field-warnBeforeDays', 'soon');
        await submit(page, '/staff/admin/deadlines/acknowledge');
        await showsErrors(page, 2);
      },
    ),
    asAdmin('holidays', () => '/staff/admin/holidays'),
    asAdmin(
      'add a holiday with errors',
      () => '/staff/admin/holidays',
      async (page) => {
        await submit(page, '/staff/admin/holidays');
        await showsErrors(page, 2);
      },
    ),
    asAdmin('email problems', () => '/staff/admin/outbox'),
    asAdmin('system health', () => '/staff/admin/operations'),
  ],
);
