import { closeSharedDatabases, databaseKind } from './database.js';
import type * as BrowserModule from './browser.js';

type BrowserSupport = typeof BrowserModule;
/** Loaded by the first browser test only, so unit and database runs never load Playwright. */
let browserSupport: Promise<BrowserSupport> | undefined;

export const mochaHooks = {
  beforeAll() {
    process.stdout.write(`  Database under test: ${databaseKind}\n`);
  },
  async beforeEach(this: Mocha.Context) {
    const file = this.currentTest?.file;
    if (!file || !/[\\/]test[\\/]browser[\\/]/.test(file)) return;
    browserSupport ??= import('./browser.js');
    // Screenshots are named after the test file they come from.
    (await browserSupport).setScreenshotScope(file);
  },
  async afterAll() {
    if (browserSupport) {
      const index = (await browserSupport).writeScreenshotIndex();
      if (index) process.stdout.write(`  ${index.taken} screenshots (${index.seconds} s) in ${index.file}\n`);
    }
    await closeSharedDatabases();
  },
};
