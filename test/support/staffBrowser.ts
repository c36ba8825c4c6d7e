import { expect } from 'chai';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/db/database.js';
import type { Services } from '../../server/services/index.js';
import { testApp } from './app.js';
import { VIEWPORTS, closeBrowser, inspectPage, listen, requireChromium } from './browser.js';
import { useDatabase } from './database.js';
import type { TestStaff } from './staff.js';

/** Signs in through the real form, in the page's language. */
export async function signInInBrowser(page: Page, base: string, language: string, staff: TestStaff): Promise<void> {
  await page.goto(`${base}/staff/sign-in?lang=${language}`);
  await page.fill('#field-email', staff.email);
  await page.fill('#field-password', staff.password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

export interface StaffFixture {
  staff: Record<string, TestStaff>;
  [key: string]: unknown;
}

export interface StaffPage<F extends StaffFixture> {
  name: string;
  /** Which member of the fixture's staff looks at the page; '' for a page seen before signing in. */
  as: string;
  path: (fixture: F) => string;
  /** Pages that answer an error on purpose (an expired link) give their status here. */
  status?: number;
  /** Steps after signing in and opening the path (filling a form to show its errors, say). */
  then?: (page: Page, fixture: F) => Promise<void>;
}

/**
 * Staff pages in Chromium, in both languages at phone and desktop width, with zero axe-core
 * violations (WCAG 2.2 AA), no sideways scrolling and no CSP errors. `setup` builds the data once.
 */
export function checkStaffPages<F extends StaffFixture>(
  title: string,
  setup: (ctx: { db: Db; services: Services; app: Express }) => Promise<F>,
  pages: Array<StaffPage<F>>,
): void {
  describe(`${title}: staff pages in a browser, both languages, phone and desktop, WCAG 2.2 AA`, function () {
    const database = useDatabase();
    let server: Awaited<ReturnType<typeof listen>>;
    let fixture: F;

    before(async function () {
      requireChromium(this);
      const { app, services } = testApp(database.handle);
      fixture = await setup({ db: database.db, services, app });
      server = await listen(app);
    });
    after(async () => {
      await server?.close();
      await closeBrowser();
    });

    for (const spec of pages) {
      for (const language of ['en', 'es'] as const) {
        for (const [width, viewport] of Object.entries(VIEWPORTS)) {
          it(`${spec.name} in ${language} at ${width} width`, async () => {
            const report = await inspectPage(undefined, viewport, async (page) => {
              const staff = fixture.staff[spec.as];
              if (spec.as && !staff) throw new Error(`no staff '${spec.as}' in the fixture`);
              if (staff) await signInInBrowser(page, server.baseUrl, language, staff);
              const target = `${server.baseUrl}${spec.path(fixture)}`;
              const response = await page.goto(`${target}${target.includes('?') ? '&' : '?'}lang=${language}`);
              expect(response?.status(), 'status of the page').to.be.lessThan(spec.status ?? 400);
              await spec.then?.(page, fixture);
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
}
