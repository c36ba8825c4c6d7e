import { expect } from 'chai';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Db } from '../../server/platform/db/database.js';
import { freshCode, withWholeSignInResponses, type TestAdmin } from './admin.js';
import { examine, saveScreenshot, sharedBrowser, VIEWPORTS, type PageReport } from './browser.js';
import type { SmtpPeer } from './smtpPeer.js';
import type { TestStaff } from './staff.js';

/**
 * Journeys (test/browser/journeys.test.ts): people's daily paths through the real pages, one page
 * after another, each page where a step arrives checked as the browser tier checks every page
 * (axe-core WCAG 2.2 A/AA, its language, no sideways scrolling, no CSP errors) and pictured.
 */

type Report = Omit<PageReport, 'cspErrors'> & { cspErrors: string[] };

/**
 * The checks of one journey: `check(page, name)` examines the page as it is now and remembers what
 * is wrong with it under its address; `assertClean()` at the end of a step fails naming each page.
 */
export class PageChecks {
  private problems: string[] = [];
  private readonly csp = new WeakMap<Page, string[]>();
  private count = 0;
  /** Pages checked, over the whole journey, and the seconds the checks and pictures took. */
  checked = 0;
  seconds = 0;

  private readonly scriptless = new WeakSet<Page>();

  /** `prefix` starts the names of the pictures (journeys.test.ts's own self-test has one). */
  constructor(private readonly prefix = '') {}

  /**
   * Listens for CSP errors on a page; every page of a journey is watched from its start. A page
   * whose context runs no JavaScript says so, for axe to be run without timers.
   */
  watch(page: Page, options: { scriptless?: boolean } = {}): Page {
    const errors: string[] = [];
    this.csp.set(page, errors);
    if (options.scriptless) this.scriptless.add(page);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    return page;
  }

  async check(page: Page, name: string, language?: string): Promise<Report> {
    const started = performance.now();
    const report = await examine(page, { scriptless: this.scriptless.has(page) });
    const errors = this.csp.get(page) ?? [];
    const cspErrors = errors.splice(0, errors.length);
    this.count += 1;
    this.checked += 1;
    const label = `${this.prefix}${String(this.count).padStart(3, '0')} ${name}`;
    await saveScreenshot(page, label, report.lang);
    const where = `${name} (${new URL(page.url()).pathname}${new URL(page.url()).search}, ${page.viewportSize()?.width} px)`;
    for (const v of report.violations) {
      this.problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).join(' | ')}`);
    }
    if (report.horizontalOverflow) this.problems.push(`${where}: scrolls sideways`);
    if (language && report.lang !== language) this.problems.push(`${where}: lang="${report.lang}", not ${language}`);
    for (const error of cspErrors) this.problems.push(`${where}: CSP: ${error}`);
    this.seconds += (performance.now() - started) / 1000;
    return { ...report, cspErrors };
  }

  /** Fails with every problem of the pages checked since the last call, page by page. */
  assertClean(): void {
    const problems = this.problems;
    this.problems = [];
    expect(problems, `pages with problems:\n  ${problems.join('\n  ')}`).to.deep.equal([]);
  }
}

/**
 * Steps of one journey, each a test: when a step fails, the steps after it (which start where it
 * should have ended) are skipped, so the failure that matters is the one reported.
 */
export function journeySteps() {
  let failed: string | undefined;
  return {
    step(title: string, body: () => Promise<void>, timeout = 60_000): void {
      it(title, async function () {
        this.timeout(timeout);
        if (failed) {
          process.stdout.write(`      (skipped: the step "${failed}" failed)\n`);
          this.skip();
        }
        try {
          await body();
        } catch (error) {
          failed = title;
          throw error;
        }
      });
    },
  };
}

/** Clicks and waits for the page the click leads to. */
export async function follow(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** USWDS draws its own radios and checkboxes: the input is hidden and its label takes the click. */
export async function tick(page: Page, input: string): Promise<void> {
  const id = await page.getAttribute(input, 'id');
  if (!id) throw new Error(`no input ${input}`);
  await page.click(`label[for="${id}"]`);
}

/**
 * The people of the journeys, each with a browser context of their own: a member of staff signs
 * in once, through the real forms (an admin with password and code), and keeps that sign-in, as
 * they would keep a tab open.
 */
export class Cast {
  private readonly contexts = new Map<string, { context: BrowserContext; page: Page }>();

  constructor(
    private readonly base: string,
    private readonly db: Db,
    private readonly checks: PageChecks,
  ) {}

  /** A browser of its own for someone who does not sign in (a resident, the public). */
  async person(key: string, options: BrowserContextOptions = {}): Promise<Page> {
    const known = this.contexts.get(key);
    if (known) return known.page;
    const browser: Browser = await sharedBrowser();
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, ...options });
    const page = this.checks.watch(await context.newPage(), { scriptless: options.javaScriptEnabled === false });
    // A step that cannot find what it looks for fails in seconds, naming it, not at the test's timeout.
    page.setDefaultTimeout(10_000);
    this.contexts.set(key, { context, page });
    return page;
  }

  /**
   * A member of staff's page, signed in. The first time, they sign in through the form, whose
   * pages are checked like any other; later, the same context and sign-in.
   */
  async staff(
    member: TestStaff | TestAdmin,
    who: string,
    viewport: { width: number; height: number } = VIEWPORTS.desktop,
  ): Promise<Page> {
    const known = this.contexts.get(member.email);
    if (known) {
      await known.page.setViewportSize(viewport);
      return known.page;
    }
    const page = await this.person(member.email, { viewport });
    await withWholeSignInResponses(page, async () => {
      await page.goto(`${this.base}/staff`);
      expect(new URL(page.url()).pathname, 'signed out, /staff asks to sign in').to.equal('/staff/sign-in');
      await this.checks.check(page, `${who}: sign-in`, 'en');
      await page.fill('#field-email', member.email);
      await page.fill('#field-password', member.password);
      if ('secret' in member) {
        await Promise.all([page.waitForURL(/\/staff\/sign-in\/code/), page.click('main form button[type="submit"]')]);
        await this.checks.check(page, `${who}: sign-in code`, 'en');
        await page.fill('#field-code', await freshCode(this.db, member));
      }
      await Promise.all([
        page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in')),
        page.click('main form button[type="submit"]'),
      ]);
    });
    // The sign-in's redirect can arrive before its session is stored: the landing page once more.
    await page.reload();
    expect(new URL(page.url()).pathname, `${who} signed in`).not.to.match(/^\/staff\/sign-in/);
    return page;
  }

  async close(): Promise<void> {
    const all = [...this.contexts.values()];
    this.contexts.clear();
    for (const { context } of all) await context.close();
  }
}

/** A message the app sent, decoded: its headers and its text. */
export interface Mail {
  to: string[];
  raw: string;
  subject: string;
  headers: Record<string, string>;
  body: string;
  /** Subject line and body, to search in. */
  text: string;
}

const bytesToUtf8 = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');
const quotedPrintable = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** RFC 2047 encoded words (Q or B, UTF-8), the white space between two of them dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : bytesToUtf8(quotedPrintable(text.replace(/_/g, ' '))),
    );
}

/**
 * Decodes a single-part message as the app sends them (text; quoted-printable, base64 or 7/8 bit).
 * (resident.ts's readableMail decodes a subject twice, which spoils any accent in it.)
 */
export function decodeMail(raw: string, to: string[] = []): Mail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const encoded = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body =
    encoding === 'quoted-printable'
      ? bytesToUtf8(quotedPrintable(encoded))
      : encoding === 'base64'
        ? Buffer.from(encoded.replace(/\s/g, ''), 'base64').toString('utf8')
        : bytesToUtf8(encoded);
  const subject = headers['subject'] ?? '';
  return { to, raw, subject, headers, body, text: `Subject: ${subject}\n\n${body}` };
}

/**
 * The mail the app sends, read from a real SMTP server on loopback: waits (the outbox's worker
 * sends every few hundred milliseconds) for a message to `to` whose text matches `pattern`.
 */
export async function mailTo(peer: SmtpPeer, to: string, pattern: RegExp | string, timeoutMs = 15_000): Promise<Mail> {
  const until = Date.now() + timeoutMs;
  const matches = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
  for (;;) {
    const found = mailsTo(peer, to).find((m) => matches(m.text));
    if (found) return found;
    if (Date.now() > until) {
      const subjects = mailsTo(peer, to).map((m) => m.subject);
      throw new Error(
        `no mail to ${to} matching ${String(pattern)} within ${timeoutMs} ms; it got: ${subjects.join('; ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function mailsTo(peer: SmtpPeer, to: string): Mail[] {
  return peer.received.filter((m) => m.to.includes(to)).map((m) => decodeMail(m.raw, m.to));
}

/** An access code as a resident might have it, with or without its dashes, in any case. */
export function expectNoAccessCode(mail: Mail, accessCode: string): void {
  const bare = accessCode.replace(/-/g, '');
  const text = mail.text.toUpperCase();
  for (const form of [accessCode.toUpperCase(), bare.toUpperCase()]) {
    expect(text, `the mail "${mail.subject}" carries the access code`).not.to.include(form);
  }
  expect(mail.raw.toUpperCase()).not.to.include(bare.toUpperCase());
}

/**
 * Keyboard only: presses Tab until the focused element matches `selector`, and checks that it
 * shows where the focus is (an outline or a box shadow; a USWDS checkbox or radio draws it on its
 * label). Fails naming where the focus went if it never gets there.
 */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  const visited: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate((wanted) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { matches: false, name: 'body', visible: false };
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}`;
      if (!el.matches(wanted)) return { matches: false, name, visible: false };
      // No helper functions in here: the test runner's transform would name them with a helper the page lacks.
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
      const candidates: Array<[Element, string | undefined]> = [[el, undefined]];
      if (label) candidates.push([label, '::before'], [label, undefined]);
      let visible = false;
      for (const [target, pseudo] of candidates) {
        const style = getComputedStyle(target, pseudo);
        if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) visible = true;
        if (style.boxShadow !== 'none' && style.boxShadow !== '') visible = true;
      }
      return { matches: true, name, visible };
    }, selector);
    if (at.matches) {
      expect(at.visible, `the focus on ${at.name} is visible`).to.equal(true);
      return;
    }
    visited.push(at.name);
  }
  throw new Error(`Tab never reached ${selector}; focus went through ${visited.join(', ')}`);
}

/** Keyboard only: presses a key and waits for the page it leads to. */
export async function pressAndFollow(page: Page, key: 'Enter' | 'Space'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

/** Tomorrow's date in the agency's time zone, as a date field takes it (YYYY-MM-DD). */
export function tomorrowIn(timeZone: string): string {
  return new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone });
}
