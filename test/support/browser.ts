import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium through playwright-core (its own browser download does not
 * work here) and check each page with axe-core. Without Chromium they are skipped with one line.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export const VIEWPORTS = {
  phone: { width: 375, height: 740 },
  desktop: { width: 1280, height: 900 },
} as const;

let browser: Promise<Browser> | undefined;
let skipNoticePrinted = false;

/** Call in a describe block's before hook with `this`: skips the block when Chromium is absent. */
export function requireChromium(context: Mocha.Context): void {
  if (chromiumAvailable) return;
  // CI installs Chromium: there a missing browser is a failure, not a reason to skip.
  if (process.env['CI']) throw new Error(`CI: no Chromium at ${CHROMIUM_PATH}; the browser tests cannot run.`);
  if (!skipNoticePrinted) {
    process.stdout.write(
      `  Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (.ci/run installs it: apt-get install chromium).\n`,
    );
    skipNoticePrinted = true;
  }
  context.skip();
}

export function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}

export async function listen(app: Express): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PageReport {
  lang: string | null;
  violations: Array<{ id: string; impact: string | null; help: string; nodes: string[] }>;
  horizontalOverflow: boolean;
  cspErrors: string[];
}

/** What a context starts from: a staff member's saved sign-in (Playwright's storage state). */
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * Opens a page at a viewport and reports its language, axe WCAG 2.2 A/AA violations and overflow.
 * `prepare` first walks to a state the page needs (a draft, a lookup); with no `url`, the page
 * where it ended is the one inspected. A context of its own, closed afterwards.
 */
export async function inspectPage(
  url: string | undefined,
  viewport: { width: number; height: number },
  prepare?: (page: Page) => Promise<void>,
): Promise<PageReport> {
  const context = await (await sharedBrowser()).newContext({ viewport });
  try {
    return await inspectIn(context, url, viewport, prepare);
  } finally {
    await context.close();
  }
}

/**
 * One browser context per page and language, shared by that page's viewports: the phone check
 * runs first, then the desktop check switches the viewport in the same context, so the page's
 * styles, scripts and fonts come from the cache. Each check starts from the same cookies, as a
 * new context would: none, or a staff member's saved sign-in. A context closes after its last
 * viewport (or at `close()`, for a run that picked single tests).
 */
export function contextPerPage() {
  interface Entry {
    context: Promise<BrowserContext>;
    state: Promise<StorageState | undefined>;
    uses: number;
  }
  const open = new Map<string, Entry>();
  const viewportCount = Object.keys(VIEWPORTS).length;
  return {
    async inspect(
      key: string,
      url: string | undefined,
      viewport: { width: number; height: number },
      prepare?: (page: Page) => Promise<void>,
      storageState?: () => Promise<StorageState | undefined>,
    ): Promise<PageReport> {
      let entry = open.get(key);
      if (!entry) {
        const state = storageState ? storageState() : Promise.resolve(undefined);
        const context = Promise.all([sharedBrowser(), state]).then(([b, s]) =>
          b.newContext({ viewport, ...(s ? { storageState: s } : {}) }),
        );
        entry = { context, state, uses: 0 };
        open.set(key, entry);
      }
      const context = await entry.context;
      if (entry.uses > 0) {
        await context.clearCookies();
        const state = await entry.state;
        if (state) await context.addCookies(state.cookies);
      }
      entry.uses += 1;
      try {
        return await inspectIn(context, url, viewport, prepare);
      } finally {
        if (entry.uses >= viewportCount) {
          open.delete(key);
          await context.close();
        }
      }
    },
    async close(): Promise<void> {
      const left = [...open.values()];
      open.clear();
      for (const entry of left) await (await entry.context).close();
    },
  };
}

async function inspectIn(
  context: BrowserContext,
  url: string | undefined,
  viewport: { width: number; height: number },
  prepare?: (page: Page) => Promise<void>,
): Promise<PageReport> {
  const page: Page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(viewport);
  const cspErrors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  };
  page.on('console', onConsole);
  try {
    await prepare?.(page);
    if (url) await page.goto(url, { waitUntil: 'load' });
    const lang = await page.getAttribute('html', 'lang');
    // Evaluated through the DevTools protocol, so the page's CSP does not block it.
    await page.evaluate(AXE_SOURCE);
    // Only violations are reported: axe then skips collecting the details of every passing node.
    const violations = (await page.evaluate(async (tags) => {
      const axe = (
        globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations;
    }, WCAG_TAGS)) as Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
    const horizontalOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
    );
    return {
      lang,
      violations: violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      })),
      horizontalOverflow,
      cspErrors,
    };
  } finally {
    page.off('console', onConsole);
  }
}
