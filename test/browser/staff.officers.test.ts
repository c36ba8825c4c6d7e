import type { Page } from 'playwright-core';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

const DEMO_PASSWORD = 'demo-password-for-tests';
const HEADER = 'badge_number,first_name,last_name,rank,unit,district';

interface Fixture extends StaffFixture {
  officerId: string;
}

const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

/** Chooses a file in the import form and sends it. */
async function uploadFile(page: Page, content: string) {
  await page.setInputFiles('#field-file', { name: 'officers.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
  await submit(page);
}

const demoStaff = (email: string, roles: Array<'intake' | 'supervisor'>) => ({
  id: '',
  email,
  password: DEMO_PASSWORD,
  roles,
});

checkStaffPages<Fixture>(
  'officer roster',
  async ({ db, services }) => {
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    // The officer named in the most allegations, so the history table is full.
    const { officer_id } = await db
      .selectFrom('allegations')
      .select(['officer_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('officer_id', 'is not', null)
      .groupBy('officer_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    return {
      staff: {
        supervisor: demoStaff('supervisor@example.org', ['supervisor']),
        intake: demoStaff('intake@example.org', ['intake']),
      },
      officerId: officer_id!,
    };
  },
  [
    { name: 'the roster', as: 'supervisor', path: () => '/staff/officers' },
    { name: 'the roster for intake', as: 'intake', path: () => '/staff/officers?q=garcia&status=active' },
    { name: 'the roster with a bad query', as: 'supervisor', path: () => '/staff/officers?page=0', status: 401 },
    { name: 'an officer page', as: 'supervisor', path: (f) => `/staff/officers/${f.officerId}` },
    { name: 'add an officer', as: 'intake', path: () => '/staff/officers/new' },
    {
      name: 'add an officer, with errors',
      as: 'intake',
      path: () => '/staff/officers/new',
      then: async (page) => {
        await page.fill('#field-badgeNumber', '4100');
        await submit(page);
      },
    },
    { name: 'edit an officer', as: 'supervisor', path: (f) => `/staff/officers/${f.officerId}/edit` },
    { name: 'import', as: 'intake', path: () => '/staff/officers/import' },
    {
      name: 'import, an empty file',
      as: 'intake',
      path: () => '/staff/officers/import',
      then: (page) => uploadFile(page, ''),
    },
    {
      name: 'import preview',
      as: 'supervisor',
      path: () => '/staff/officers/import',
      then: (page) =>
        uploadFile(
          page,
          `${HEADER}\nB-1,Ana,Alvarez,Officer,Patrol,central\n4100,Maria,Garcia,Captain,Traffic,north\n`,
        ),
    },
    {
      name: 'import preview with row errors',
      as: 'supervisor',
      path: () => '/staff/officers/import',
      then: (page) => uploadFile(page, `${HEADER}\nB-2,,Alvarez,,,central\nB-2,Ana,Alvarez,,,atlantis\n1,2\n`),
    },
  ],
  { demo: true },
);
