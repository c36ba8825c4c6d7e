import { expect } from 'chai';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { VIEWPORTS, closeBrowser, contextPerPage, inspectPage, listen, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';

/** The public statistics in Chromium: both languages, phone and desktop, zero axe WCAG 2.2 AA violations. */
describe('public dashboard and annual reports in a browser: WCAG 2.2 AA', function () {
  const database = useDatabase({ demo: true });
  const contexts = contextPerPage();
  let server: Awaited<ReturnType<typeof listen>>;
  let services: Services;
  let year = 0;

  before(async function () {
    requireChromium(this);
    this.timeout(240_000);
    const built = testApp(database.handle);
    services = built.services;
    await services.demo.ensureDemoData('dashboard-browser-password-1');
    // Three complaints in a district of their own, so the pages draw "fewer than 5" marks.
    await database.db
      .insertInto('districts')
      .values({ code: 'lighthouse', name_en: 'Lighthouse Point', name_es: 'Punta del Faro' })
      .execute();
    const few = await database.db.selectFrom('complaints').select('id').orderBy('tracking_number').limit(3).execute();
    await database.db
      .updateTable('complaints')
      .set({ district: 'lighthouse' })
      .where(
        'id',
        'in',
        few.map((c) => c.id),
      )
      .execute();
    await services.statistics.refresh();
    year = Number(services.dashboard.currentMonth().slice(0, 4));
    server = await listen(built.app);
  });
  after(async () => {
    await contexts.close();
    await server?.close();
    await closeBrowser();
  });

  const pages: Array<{ name: string; path: () => string }> = [
    { name: 'dashboard, last 36 months', path: () => '/dashboard' },
    { name: 'dashboard, a chosen range', path: () => `/dashboard?from=${year - 1}-07&to=${year - 1}-12` },
    { name: 'dashboard, a range too long (400)', path: () => `/dashboard?from=${year - 5}-01&to=${year - 1}-12` },
    { name: 'annual reports', path: () => '/reports' },
    { name: 'annual report', path: () => `/reports/${year}` },
    { name: 'unknown annual report (404)', path: () => '/reports/1890' },
  ];

  for (const entry of pages) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${entry.name} in ${language} at ${width} width`, async () => {
          const url = new URL(entry.path(), server.baseUrl);
          url.searchParams.set('lang', language);
          const report = await contexts.inspect(`${entry.name}|${language}`, url.toString(), viewport);
          expect(report.lang).to.equal(language);
          expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
          expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
          expect(report.cspErrors).to.deep.equal([]);
        });
      }
    }
  }

  it('the range form works without JavaScript and the error summary takes the focus', async () => {
    let heading: string | null = null;
    let focused: string | null = null;
    let shown = '';
    await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
      await page.context().route('**/*.js', (route) => route.abort());
      await page.goto(`${server.baseUrl}/dashboard?lang=en`);
      await page.fill('#field-from', `${year - 1}-01`);
      await page.fill('#field-to', `${year - 1}-06`);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      shown = (await page.textContent('.app-range-shown')) ?? '';
      await page.fill('#field-from', `${year - 5}-01`);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      heading = await page.textContent('#error-summary-title');
      focused = await page.evaluate(() => document.activeElement?.id ?? null);
    });
    expect(shown).to.equal(`Showing January ${year - 1} to June ${year - 1}.`);
    expect(heading).to.equal('There is a problem');
    expect(focused).to.equal('error-summary');
  });
});
