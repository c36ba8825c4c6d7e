import type { Page } from 'playwright-core';
import { checkStaffPages } from '../support/staffBrowser.js';
import { createStaff } from '../support/staff.js';
import { newTotpSecret, totpCode } from '../../server/platform/security/totp.js';

const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

checkStaffPages(
  'sign-in and account',
  async ({ db, services }) => {
    const supervisor = await createStaff(db, ['supervisor', 'investigator']);
    const withCode = await createStaff(db, ['intake']);
    const secret = newTotpSecret();
    await services.auth.confirmEnrolment(
      (await services.auth.principal(withCode.id))!,
      secret,
      totpCode(secret, new Date()),
    );
    await db
      .transaction()
      .execute((trx) =>
        services.auth.issuePasswordLink(trx, { id: supervisor.id, email: supervisor.email, language: 'en' }, null),
      );
    const mail = await db
      .selectFrom('outbox')
      .select('data')
      .where('template', '=', 'passwordLink')
      .executeTakeFirstOrThrow();
    const link = new URL((mail.data as { link: string }).link).pathname;
    return { staff: { supervisor }, withCode, link };
  },
  [
    { name: 'sign-in', as: '', path: () => '/staff/sign-in' },
    {
      name: 'sign-in refused',
      as: '',
      path: () => '/staff/sign-in',
      then: async (page) => {
        await page.fill('#field-email', 'nobody@example.org');
        await page.fill('#field-password', 'not the password');
        await submit(page);
      },
    },
    {
      name: 'sign-in code, refused once',
      as: '',
      path: () => '/staff/sign-in',
      then: async (page, f) => {
        const staff = f['withCode'] as { email: string; password: string };
        await page.fill('#field-email', staff.email);
        await page.fill('#field-password', staff.password);
        await submit(page);
        await page.fill('#field-code', '12');
        await submit(page);
      },
    },
    { name: 'set a password from a link', as: '', path: (f) => f['link'] as string },
    { name: 'an expired password link', as: '', path: () => '/staff/password/expired', status: 411 },
    { name: 'my account', as: 'supervisor', path: () => '/staff/account' },
    { name: 'two-step sign-in set-up', as: 'supervisor', path: () => '/staff/account/two-factor' },
    {
      name: 'two-step sign-in with a wrong code',
      as: 'supervisor',
      path: () => '/staff/account/two-factor',
      then: async (page) => {
        await page.fill('#field-code', '000000');
        await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      },
    },
    { name: 'change password', as: 'supervisor', path: () => '/staff/account/password' },
  ],
);
