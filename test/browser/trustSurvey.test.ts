import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createDemoTrustWaves } from '../../server/demo/demo.trustSurveys.js';
import { DEMO_DISTRICTS } from '../../server/demo/demo.data.js';
import { createAdmin, type TestAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { VIEWPORTS, closeBrowser, contextPerPage, listen, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { checkStaffPages } from '../support/staffBrowser.js';

/** USWDS draws its own radios: the input is hidden and its label takes the click. */
const tick = async (page: Page, name: string, value: string) => {
  const id = await page.getAttribute(`input[name="${name}"][value="${value}"]`, 'id');
  await page.click(`label[for="${id}"]`);
};
const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

/** The community trust survey's public pages in Chromium: both languages, phone and desktop, zero axe violations. */
describe('community trust survey pages in a browser: WCAG 2.2 AA', function () {
  const database = useDatabase();
  const contexts = contextPerPage();
  let server: Awaited<ReturnType<typeof listen>>;
  let open = '';
  let closed = '';

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    await database.db.insertInto('districts').values(DEMO_DISTRICTS).execute();
    const admin = await createAdmin(built.services, database.db);
    // As in the demo: a wave closed with results above the small-cell rule, and one open now.
    await createDemoTrustWaves(database.db, admin.id, new Date());
    open = (await built.services.trustSurveys.current())!.id;
    const waves = await database.db.selectFrom('trust_waves').select('id').where('id', '!=', open).execute();
    closed = waves[0]!.id;
    server = await listen(built.app);
  });
  after(async () => {
    await contexts.close();
    await server?.close();
    await closeBrowser();
  });

  const answerSome = async (page: Page, language: string) => {
    await page.goto(`${server.baseUrl}/community-survey/${open}?lang=${language}`);
    await tick(page, 'respect', '4');
    await tick(page, 'doRight', '2');
    await page.selectOption('#field-district', 'north');
    await tick(page, 'ageRange', '25-34');
    await submit(page);
  };

  const pages: Array<{
    name: string;
    path?: () => string;
    prepare?: (page: Page, language: string) => Promise<void>;
    check?: (page: Page, language: string) => Promise<void>;
  }> = [
    {
      name: 'home page inviting to the survey',
      path: () => '/',
      check: async (page) => {
        expect(await page.getAttribute('.usa-summary-box__link', 'href')).to.equal(`/community-survey/${open}`);
      },
    },
    {
      name: 'survey form',
      path: () => `/community-survey/${open}`,
      check: async (page) => {
        // Six statements and three questions about the respondent, each a fieldset with its legend.
        expect(await page.locator('fieldset legend').count()).to.equal(9);
        expect(await page.locator('label[for="field-district"]').count()).to.equal(1);
      },
    },
    {
      name: 'survey form with errors',
      prepare: async (page, language) => {
        await page.goto(`${server.baseUrl}/community-survey/${open}?lang=${language}`);
        await submit(page); // nothing answered
      },
      check: async (page) => {
        expect(await page.getAttribute('#error-summary a', 'href')).to.equal('#field-answers');
        expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
      },
    },
    {
      name: 'thank-you page',
      prepare: answerSome,
      check: async (page, language) => {
        expect(await page.textContent('h1')).to.equal(
          language === 'es' ? 'Gracias por participar' : 'Thank you for taking part',
        );
      },
    },
    {
      name: 'already answered from this browser',
      prepare: async (page, language) => {
        await answerSome(page, language);
        await page.goto(`${server.baseUrl}/community-survey/${open}?lang=${language}`);
      },
      check: async (page) => {
        expect(await page.locator('main form').count(), 'no form to answer again').to.equal(0);
      },
    },
    { name: 'closed wave', path: () => `/community-survey/${closed}` },
    {
      name: 'dashboard with the trust survey results',
      path: () => '/dashboard',
      check: async (page) => {
        expect(await page.locator('#table-trust-waves-caption').count()).to.equal(1);
        expect(await page.locator('#table-trust-districts-caption').count()).to.equal(1);
      },
    },
  ];

  for (const entry of pages) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${entry.name} in ${language} at ${width} width`, async () => {
          const url = entry.path ? `${server.baseUrl}${entry.path()}?lang=${language}` : undefined;
          const report = await contexts.inspect(`${entry.name}|${language}`, url, viewport, async (page) => {
            if (entry.prepare) await entry.prepare(page, language);
            if (entry.check) {
              if (url) await page.goto(url);
              await entry.check(page, language);
            }
          });
          expect(report.lang).to.equal(language);
          expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
          expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
          expect(report.cspErrors).to.deep.equal([]);
        });
      }
    }
  }
});

/** The admins' page of waves: the list with the demo's two waves, and the opening form with its errors. */
checkStaffPages<{ staff: { admin: TestAdmin } }>(
  'community trust survey waves',
  async ({ db, services }) => {
    const admin = await createAdmin(services, db);
    await createDemoTrustWaves(db, admin.id, new Date());
    return { staff: { admin } };
  },
  [
    { name: 'survey waves', as: 'admin', path: () => '/staff/admin/trust-surveys' },
    {
      name: 'open a wave, with errors',
      as: 'admin',
      path: () => '/staff/admin/trust-surveys',
      then: async (page) => {
        await Promise.all([
          page.waitForNavigation(),
          page.click('form[action="/staff/admin/trust-surveys"] button[type="submit"]'),
        ]);
        expect(await page.locator('#error-summary li').count()).to.equal(3);
      },
    },
  ],
);
