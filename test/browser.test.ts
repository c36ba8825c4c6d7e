import { expect } from 'chai';
import express from 'express';
import { testApp } from './support/app.js';
import { VIEWPORTS, closeBrowser, inspectPage, listen, requireChromium } from './support/browser.js';
import { useDatabase } from './support/database.js';

/** Every page joins this list: each is visited in both languages at phone and desktop width. */
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'not found', path: '/no/such/page' },
  { name: 'development mail', path: '/dev/mail' },
];

describe('pages in a browser: both languages, phone and desktop, WCAG 2.2 AA', function () {
  const database = useDatabase();
  let server: Awaited<ReturnType<typeof listen>>;

  before(async function () {
    requireChromium(this);
    const { app, services } = testApp(database.handle);
    await services.mail.send({ to: 'resident@example.com', subject: 'Receipt', text: 'Hello' });
    server = await listen(app);
  });
  after(async () => {
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

  for (const page of PAGES) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${page.name} (${page.path}) in ${language} at ${width} width`, async () => {
          const separator = page.path.includes('?') ? '&' : '?';
          const report = await inspectPage(`${server.baseUrl}${page.path}${separator}lang=${language}`, viewport);
          expect(report.lang).to.equal(language);
          expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
          expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
          expect(report.cspErrors).to.deep.equal([]);
        });
      }
    }
  }
});
