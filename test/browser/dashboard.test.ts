import { expect } from 'chai';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import {
  VIEWPORTS,
  closeBrowser,
  contextPerPage,
  inspectPage,
  listen,
  requireChromium,
  sharedBrowser,
} from '../support/browser.js';
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
    { name: 'dashboard, last 12 months', path: () => '/dashboard' },
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

  /** The page's height at a viewport, and where each chart (and the summary's figures) sit on it. */
  const layoutAt = async (path: string, viewport: { width: number; height: number }) => {
    const context = await (await sharedBrowser()).newContext({ viewport });
    try {
      const page = await context.newPage();
      await page.goto(new URL(path, server.baseUrl).toString());
      // Anonymous functions only: the page has no __name helper for named ones.
      return (await page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        ...Object.fromEntries(
          [
            ['charts', 'svg.app-chart'],
            ['summary', '.app-summary-figure'],
            ['tables', 'main table'],
          ].map(([name, selector]) => [
            name!,
            Array.from(document.querySelectorAll(selector!)).map((element) => {
              // A chart by its section: two side by side start on the same line.
              const box = (element.closest('section') ?? element).getBoundingClientRect();
              return {
                top: Math.round(box.top + window.scrollY),
                left: Math.round(box.left),
                shown: element.checkVisibility(),
              };
            }),
          ]),
        ),
      }))) as { height: number } & Record<
        'charts' | 'summary' | 'tables',
        Array<{ top: number; left: number; shown: boolean }>
      >;
    } finally {
      await context.close();
    }
  };

  it('leads with a short summary, is far shorter on a phone, and sets the charts two to a row on a desktop', async () => {
    // In Spanish (the longer text) at 375 px: 8,629 px before (36 months by default, every table
    // open), 5,115 px after (12 months; the tables and the range form folded away). The community
    // trust survey's section (#19 part 4, its two tables folded away too) adds about 400 px, and the
    // department's responses (#19 part 2, its tables folded away too) about 550 px more.
    const phone = await layoutAt('/dashboard?lang=es', VIEWPORTS.phone);
    expect(phone.height, 'height of the dashboard at 375 px').to.be.below(6_300);
    // The summary's figures come before the first chart; the tables are behind "Show the numbers".
    expect(phone.summary).to.have.length(4);
    expect(phone.summary[0]!.top).to.be.below(phone.charts[0]!.top);
    expect(
      phone.tables.filter((t) => t.shown),
      'tables shown before they are asked for',
    ).to.deep.equal([]);
    // One chart to a row on a phone, two on a desktop.
    expect(new Set(phone.charts.map((c) => c.left)).size).to.equal(1);
    const desktop = await layoutAt('/dashboard?lang=en', VIEWPORTS.desktop);
    expect(desktop.charts).to.have.length(4);
    expect(desktop.charts[0]!.top).to.equal(desktop.charts[1]!.top);
    expect(desktop.charts[1]!.left).to.be.greaterThan(desktop.charts[0]!.left);
    expect(desktop.charts[2]!.top).to.equal(desktop.charts[3]!.top);
    expect(desktop.charts[2]!.top).to.be.greaterThan(desktop.charts[0]!.top);

    // Each chart's table is one choice away, without JavaScript, and the page stays accessible with all open.
    let tables = { shown: 0, all: -1 };
    const opened = await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
      await page.context().route('**/*.js', (route) => route.abort());
      await page.goto(`${server.baseUrl}/dashboard?lang=es`);
      for (const summary of await page.locator('main details > summary').all()) await summary.click();
      tables = await page.evaluate(() => {
        const all = Array.from(document.querySelectorAll('main table'));
        return { shown: all.filter((t) => t.checkVisibility()).length, all: all.length };
      });
    });
    // Ten: the eight before, and the department's responses by year and by category (#19 part 2).
    expect(tables).to.deep.equal({ shown: 10, all: 10 });
    expect(opened.violations, JSON.stringify(opened.violations, null, 2)).to.deep.equal([]);
    expect(opened.horizontalOverflow, 'page scrolls sideways').to.equal(false);
  });

  it('the range form works without JavaScript and the error summary takes the focus', async () => {
    let heading: string | null = null;
    let focused: string | null = null;
    let shown = '';
    await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
      await page.context().route('**/*.js', (route) => route.abort());
      await page.goto(`${server.baseUrl}/dashboard?lang=en`);
      // Folded away under its summary until asked for, and open again once a range is shown.
      await page.click('summary:has-text("Choose other months")');
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
