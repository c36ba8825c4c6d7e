import { checkStaffPages } from './support/staffBrowser.js';
import { createStaff } from './support/staff.js';

checkStaffPages(
  'sign-in and account',
  async ({ db }) => ({ staff: { supervisor: await createStaff(db, ['supervisor', 'investigator']) } }),
  [
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
