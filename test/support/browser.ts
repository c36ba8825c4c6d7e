import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

/**
 * Every page the browser tier inspects is also saved as a picture, at its width and in its
 * language, for people to look through (test-results/screenshots/index.html, written at the end
 * of a run). JPEG at quality 60 keeps it cheap; SCREENSHOTS=0 turns it off.
 */
export const SCREENSHOT_DIR = path.resolve(process.env['SCREENSHOT_DIR'] || 'test-results/screenshots');
export const screenshotsOn = process.env['SCREENSHOTS'] !== '0';
let screenshotScope = '';
let screenshotsTaken = 0;
let screenshotMs = 0;

/** The test file the next pictures belong to (set by the root hook in hooks.ts), so names do not collide across files. */
export function setScreenshotScope(file: string | undefined): void {
  screenshotScope = file ? path.basename(file).replace(/\.test\.ts$/, '') : '';
}

/** A file name from free text: lower case letters, digits and single dashes. */
export function fileNameOf(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'page'
  );
}

/**
 * Saves a full-page JPEG of the page as `<test file>--<name>--<language>--<width>.jpg`; does
 * nothing when SCREENSHOTS=0. Returns the file's path, or undefined.
 */
export async function saveScreenshot(page: Page, name: string, language: string | null): Promise<string | undefined> {
  if (!screenshotsOn) return undefined;
  const width = page.viewportSize()?.width ?? 0;
  const parts = [screenshotScope, name, language ?? 'no-lang', `${width}`].filter(Boolean).map(fileNameOf);
  const file = path.join(SCREENSHOT_DIR, `${parts.join('--')}.jpg`);
  if (screenshotsTaken === 0) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const started = performance.now();
  try {
    // caret 'initial': no style injected into the page, which the test may go on using.
    await page.screenshot({ path: file, fullPage: true, type: 'jpeg', quality: 60, caret: 'initial' });
  } catch (error) {
    // A picture is for people to look at: one that cannot be taken does not fail the page's checks.
    process.stdout.write(`      (no screenshot ${path.basename(file)}: ${(error as Error).message.split('\n')[0]})\n`);
    return undefined;
  } finally {
    screenshotMs += performance.now() - started;
  }
  screenshotsTaken += 1;
  return file;
}

/**
 * Removes the pictures of one test file from earlier runs: for a file whose pictures are numbered
 * in the order taken (the journeys), where a renamed or removed step would leave a stale one.
 */
export function removeScreenshots(testFile: string): void {
  if (!existsSync(SCREENSHOT_DIR)) return;
  const prefix = `${fileNameOf(testFile)}--`;
  for (const file of readdirSync(SCREENSHOT_DIR)) if (file.startsWith(prefix)) rmSync(path.join(SCREENSHOT_DIR, file));
}

/**
 * Writes index.html beside the pictures: every picture in the folder, grouped by test file, with
 * its page, language and width. Cheap (a directory listing); only when this run took pictures.
 */
export function writeScreenshotIndex(): { file: string; taken: number; seconds: number } | undefined {
  if (screenshotsTaken === 0 || !existsSync(SCREENSHOT_DIR)) return undefined;
  const escape = (text: string) =>
    text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const groups = new Map<string, string[]>();
  const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  for (const file of readdirSync(SCREENSHOT_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .sort(byName)) {
    const group = file.includes('--') ? file.slice(0, file.indexOf('--')) : '';
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  const sections = [...groups].map(([group, files]) => {
    const figures = files.map((file) => {
      const [, ...rest] = file.replace(/\.jpg$/, '').split('--');
      const caption = (rest.length ? rest : [file]).join(' · ');
      const href = encodeURI(file);
      return `<figure><a href="${href}"><img src="${href}" alt="" loading="lazy"></a><figcaption>${escape(caption)}</figcaption></figure>`;
    });
    return `<section><h2 id="${escape(group)}">${escape(group || 'other')} (${files.length})</h2>\n${figures.join('\n')}</section>`;
  });
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Browser tier screenshots</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; }
section { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
h2 { flex-basis: 100%; margin-bottom: 0; }
figure { margin: 0; width: 14rem; }
img { width: 100%; max-height: 24rem; object-fit: cover; object-position: top; border: 1px solid #aaa; }
figcaption { font-size: 0.8rem; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>Browser tier screenshots</h1>
<p>Written ${escape(new Date().toISOString())}. Names: test file -- page -- language -- width in pixels.</p>
<nav><ul>${[...groups.keys()].map((g) => `<li><a href="#${escape(g)}">${escape(g || 'other')}</a></li>`).join('')}</ul></nav>
${sections.join('\n')}
</body>
</html>
`;
  const file = path.join(SCREENSHOT_DIR, 'index.html');
  writeFileSync(file, html);
  return { file, taken: screenshotsTaken, seconds: Math.round(screenshotMs / 100) / 10 };
}

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
 * where it ended is the one inspected. A context of its own, closed afterwards. Its screenshot is
 * named `name`, or the path of the page inspected.
 */
export async function inspectPage(
  url: string | undefined,
  viewport: { width: number; height: number },
  prepare?: (page: Page) => Promise<void>,
  name?: string,
): Promise<PageReport> {
  const context = await (await sharedBrowser()).newContext({ viewport });
  try {
    return await inspectIn(context, url, viewport, prepare, name);
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
        return await inspectIn(context, url, viewport, prepare, key.split('|')[0]);
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
  name?: string,
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
    const report = await examine(page);
    await saveScreenshot(page, name ?? new URL(page.url()).pathname, report.lang);
    return { ...report, cspErrors };
  } finally {
    page.off('console', onConsole);
  }
}

/**
 * Where a context runs no JavaScript (javaScriptEnabled: false), timers never fire, and axe waits
 * on them: its setTimeout becomes a microtask, which does run. The page's own scripts stay off.
 */
const TIMERS_AS_MICROTASKS = `window.setTimeout = function (fn) {
  var args = Array.prototype.slice.call(arguments, 2);
  Promise.resolve().then(function () { fn.apply(null, args); });
  return 0;
};
window.clearTimeout = function () {};`;

/**
 * The page as it is now: its language, axe WCAG 2.2 A/AA violations and whether it scrolls
 * sideways. For a page reached by steps of a journey (see journey.ts) as much as for inspectPage.
 * `scriptless`: the page's context has JavaScript disabled.
 */
export async function examine(
  page: Page,
  options: { scriptless?: boolean } = {},
): Promise<Omit<PageReport, 'cspErrors'>> {
  const lang = await page.getAttribute('html', 'lang');
  if (options.scriptless) await page.evaluate(TIMERS_AS_MICROTASKS);
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
  };
}
