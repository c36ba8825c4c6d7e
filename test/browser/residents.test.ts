import { expect } from 'chai';
import express from 'express';
import { testApp } from '../support/app.js';
import {
  VIEWPORTS,
  closeBrowser,
  contextPerPage,
  inspectPage,
  listen,
  requireChromium,
  type PageReport,
} from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { fileComplaint, openOwnCase, startDraft } from '../support/residentBrowser.js';
import type { Page } from 'playwright-core';

type Prepare = (page: Page, base: string, language: string) => Promise<void>;
const STEPS = ['what', 'when-where', 'officers', 'kind', 'witnesses', 'evidence', 'about-you', 'demographics', 'check'];

/** Every page joins this list: each is visited in both languages at phone and desktop width. */
const PAGES: Array<{ name: string; path?: string; prepare?: Prepare }> = [
  { name: 'home', path: '/' },
  { name: 'not found', path: '/no/such/page' },
  { name: 'development mail', path: '/dev/mail' },
  { name: 'how it works', path: '/how-it-works' },
  { name: 'complaint start', path: '/complaint' },
  ...STEPS.map((step) => ({ name: `complaint step ${step}`, path: `/complaint/${step}`, prepare: startDraft })),
  {
    name: 'complaint step with errors',
    prepare: async (page: Page, base: string, language: string) => {
      await startDraft(page, base, language);
      await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
    },
  },
  {
    name: 'receipt',
    prepare: async (page: Page, base: string, language: string) => {
      await fileComplaint(page, base, language);
    },
  },
  {
    name: 'receipt shown once already',
    prepare: async (page: Page, base: string, language: string) => {
      await fileComplaint(page, base, language);
      await page.goto(`${base}/complaint/receipt?lang=${language}`);
    },
  },
  { name: 'status lookup', path: '/status' },
  {
    name: 'status lookup refused',
    prepare: async (page: Page, base: string, language: string) => {
      await page.goto(`${base}/status?lang=${language}`);
      await page.fill('#field-trackingNumber', 'OC-2222-2222');
      await page.fill('#field-accessCode', 'WRONG');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    },
  },
  { name: 'status of a case', prepare: openOwnCase },
  ...['add-information', 'contact', 'withdraw', 'reconsideration', 'sign-out'].map((action) => ({
    name: `case action ${action}`,
    path: `/status/${action}`,
    prepare: openOwnCase,
  })),
  { name: 'signed out of a case', path: '/status/signed-out' },
];

describe('pages in a browser: both languages, phone and desktop, WCAG 2.2 AA', function () {
  const database = useDatabase();
  const contexts = contextPerPage();
  let server: Awaited<ReturnType<typeof listen>>;

  before(async function () {
    requireChromium(this);
    const { app, services } = testApp(database.handle);
    await services.mail.send({ to: 'resident@example.com', subject: 'Receipt', text: 'Hello' });
    server = await listen(app);
  });
  after(async () => {
    await contexts.close();
    await server?.close();
    await closeBrowser();
  });

  it('the checker itself finds violations on a page that has them', async () => {
    const broken = express().get('/', (_req, res) => {
      res.send('<!DOCTYPE html><html><body><img src="/x.png"><input type="text"></body></html>');
    });
    const brokenServer = await listen(broken);
    try {
      const report = await inspectPage(`${brokenServer.baseUrl}/`, VIEWPORTS.phone);
      const ids = report.violations.map((v) => v.id);
      expect(ids).to.include.members(['html-has-lang', 'image-alt', 'label']);
    } finally {
      await brokenServer.close();
    }
  });

  const clean = (report: PageReport, language: string) => {
    expect(report.lang).to.equal(language);
    expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
    expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
    expect(report.cspErrors).to.deep.equal([]);
  };
  const NAMED = { name: 'Browser Resident', email: 'browser@example.com' };

  describe('the receipt of a named filing, at phone width (#17 item 4)', () => {
    for (const language of ['en', 'es'] as const) {
      it(`shows the codes large and monospaced, prints cleanly, offers the email form (${language})`, async () => {
        const seen: Record<string, unknown> = {};
        const report = await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
          seen['codes'] = await fileComplaint(page, server.baseUrl, language, NAMED);
          seen['code'] = await page.$eval('#access-code', (el) => {
            const style = getComputedStyle(el);
            return {
              family: style.fontFamily,
              size: parseFloat(style.fontSize),
              body: parseFloat(getComputedStyle(document.body).fontSize),
              inside: el.getBoundingClientRect().right <= document.documentElement.clientWidth,
            };
          });
          seen['prefilled'] = await page.inputValue('#field-email');
          // The print button shows where JavaScript runs, and prints.
          await page.evaluate(() => {
            window.print = () => document.body.setAttribute('data-printed', 'yes');
          });
          await page.click('button[data-print]');
          seen['printed'] = await page.getAttribute('body', 'data-printed');
          await page.emulateMedia({ media: 'print' });
          seen['printing'] = await page.evaluate(() =>
            ['.app-header-wrap', '.usa-footer', '.app-receipt-email', 'button[data-print]', '.app-print-only']
              .concat(['#tracking-number', '#access-code'])
              .map(
                (selector) =>
                  `${selector}: ${document.querySelector(selector)?.checkVisibility() ? 'shown' : 'hidden'}`,
              ),
          );
          await page.emulateMedia({ media: 'screen' });
        });
        clean(report, language);
        const codes = seen['codes'] as { trackingNumber: string; accessCode: string };
        expect(codes.accessCode, 'the text is the code itself').to.match(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
        expect(codes.trackingNumber).to.match(/^OC-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
        const code = seen['code'] as { family: string; size: number; body: number; inside: boolean };
        expect(code.family).to.match(/Roboto Mono/);
        expect(code.size).to.be.at.least(Math.max(22, code.body * 1.3));
        expect(code.inside, 'the code fits the phone').to.equal(true);
        expect(seen['prefilled']).to.equal(NAMED.email);
        expect(seen['printed']).to.equal('yes');
        expect(seen['printing']).to.deep.equal([
          '.app-header-wrap: hidden',
          '.usa-footer: hidden',
          '.app-receipt-email: hidden',
          'button[data-print]: hidden',
          '.app-print-only: shown',
          '#tracking-number: shown',
          '#access-code: shown',
        ]);
      });
    }

    it('the email form shown again with its error, and the page saying it was sent', async () => {
      const refused = await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
        await fileComplaint(page, server.baseUrl, 'es', NAMED);
        await page.fill('#field-email', 'no-es-un-correo');
        await Promise.all([page.waitForNavigation(), page.click('form[action="/complaint/receipt/email"] button')]);
      });
      clean(refused, 'es');
      for (const language of ['en', 'es'] as const) {
        clean(
          await inspectPage(`${server.baseUrl}/complaint/receipt/emailed?lang=${language}`, VIEWPORTS.phone),
          language,
        );
      }
    });
  });

  for (const page of PAGES) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${page.name} (${page.path ?? 'after its steps'}) in ${language} at ${width} width`, async () => {
          const url =
            page.path && `${server.baseUrl}${page.path}${page.path.includes('?') ? '&' : '?'}lang=${language}`;
          const prepare = page.prepare && ((p: Page) => page.prepare!(p, server.baseUrl, language));
          const report = await contexts.inspect(`${page.name}|${language}`, url, viewport, prepare);
          expect(report.lang).to.equal(language);
          expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
          expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
          expect(report.cspErrors).to.deep.equal([]);
        });
      }
    }
  }
});
