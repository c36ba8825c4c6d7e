import { expect } from 'chai';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import type { Db } from '../../server/platform/db/database.js';
import type { Services } from '../../server/compose.js';
import { testApp } from './app.js';
import { signInAdminInBrowser, withWholeSignInResponses, type TestAdmin } from './admin.js';
import {
  VIEWPORTS,
  closeBrowser,
  contextPerPage,
  listen,
  requireChromium,
  sharedBrowser,
  type StorageState,
} from './browser.js';
import { useDatabase, type DatabaseOptions } from './database.js';
import type { TestStaff } from './staff.js';

/** Signs in through the real form, in the page's language. */
export async function signInInBrowser(page: Page, base: string, language: string, staff: TestStaff): Promise<void> {
  await withWholeSignInResponses(page, async () => {
    await page.goto(`${base}/staff/sign-in?lang=${language}`);
    await page.fill('#field-email', staff.email);
    await page.fill('#field-password', staff.password);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
  });
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
 * Signs a member of staff in once, through the real forms (an admin with password and code), and
 * keeps the browser's state: every page that member looks at starts from it. The sign-in forms
 * themselves are checked by their own pages in `staff.account.test.ts`.
 */
async function savedSignIn(base: string, db: Db, staff: TestStaff | TestAdmin): Promise<StorageState> {
  const context = await (await sharedBrowser()).newContext();
  try {
    const page = await context.newPage();
    if ('secret' in staff) await signInAdminInBrowser(page, base, db, staff, '/staff/account');
    else await signInInBrowser(page, base, 'en', staff);
    expect(new URL(page.url()).pathname, `${staff.email} signed in`).not.to.match(/^\/staff\/sign-in/);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/**
 * Staff pages in Chromium, in both languages at phone and desktop width, with zero axe-core
 * violations (WCAG 2.2 AA), no sideways scrolling and no CSP errors. `setup` builds the data once;
 * each member of staff signs in once, and each page and language has one browser context.
 * `options.demo` starts from a copy of the demo agency.
 */
export function checkStaffPages<F extends StaffFixture>(
  title: string,
  setup: (ctx: { db: Db; services: Services; app: Express }) => Promise<F>,
  pages: Array<StaffPage<F>>,
  options: DatabaseOptions = {},
): void {
  describe(`${title}: staff pages in a browser, both languages, phone and desktop, WCAG 2.2 AA`, function () {
    const database = useDatabase(options);
    const contexts = contextPerPage();
    const signedIn = new Map<string, Promise<StorageState>>();
    let server: Awaited<ReturnType<typeof listen>>;
    let fixture: F;

    const stateOf = (as: string): Promise<StorageState | undefined> => {
      if (!as) return Promise.resolve(undefined);
      const staff = fixture.staff[as];
      if (!staff) throw new Error(`no staff '${as}' in the fixture`);
      let state = signedIn.get(as);
      if (!state) {
        state = savedSignIn(server.baseUrl, database.db, staff);
        signedIn.set(as, state);
      }
      return state;
    };

    before(async function () {
      requireChromium(this);
      const { app, services } = testApp(database.handle);
      fixture = await setup({ db: database.db, services, app });
      server = await listen(app);
    });
    after(async () => {
      await contexts.close();
      await server?.close();
      await closeBrowser();
    });

    for (const spec of pages) {
      for (const language of ['en', 'es'] as const) {
        for (const [width, viewport] of Object.entries(VIEWPORTS)) {
          it(`${spec.name} in ${language} at ${width} width`, async () => {
            const report = await contexts.inspect(
              `${spec.name}|${language}`,
              undefined,
              viewport,
              async (page) => {
                const target = `${server.baseUrl}${spec.path(fixture)}`;
                const response = await page.goto(`${target}${target.includes('?') ? '&' : '?'}lang=${language}`);
                expect(response?.status(), 'status of the page').to.be.lessThan(spec.status ?? 400);
                await spec.then?.(page, fixture);
              },
              () => stateOf(spec.as),
            );
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
