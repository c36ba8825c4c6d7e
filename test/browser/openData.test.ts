import { expect } from 'chai';
import { testApp } from '../support/app.js';
import { VIEWPORTS, closeBrowser, inspectPage, listen, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';

/** The data dictionary in Chromium: both languages, phone and desktop, before and after publishing. */
describe('open data dictionary in a browser: WCAG 2.2 AA', function () {
  const database = useDatabase();
  let server: Awaited<ReturnType<typeof listen>>;
  let services: ReturnType<typeof testApp>['services'];

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    services = built.services;
    server = await listen(built.app);
  });
  after(async () => {
    await server?.close();
    await closeBrowser();
  });

  const check = async (language: 'en' | 'es', viewport: { width: number; height: number }) => {
    const report = await inspectPage(`${server.baseUrl}/data?lang=${language}`, viewport);
    expect(report.lang).to.equal(language);
    expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
    expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
    expect(report.cspErrors).to.deep.equal([]);
  };

  for (const language of ['en', 'es'] as const) {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      it(`before the first refresh, in ${language} at ${width} width`, () => check(language, viewport));
    }
  }

  describe('with data published', () => {
    before(async () => {
      await services.demo.ensureDemoData('open-data-browser-password-1');
      // A retired category, so the "no longer used" wording is on the page too.
      await database.db
        .insertInto('allegation_categories')
        .values({ code: 'retired_code', name_en: 'Retired conduct', name_es: 'Conducta retirada', active: false })
        .execute();
      await services.statistics.refresh();
    });

    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`/data in ${language} at ${width} width`, () => check(language, viewport));
      }
    }
  });
});
