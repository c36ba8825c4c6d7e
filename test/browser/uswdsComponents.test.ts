import request from 'supertest';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { testApp } from '../support/app.js';
import {
  VIEWPORTS,
  chromiumAvailable,
  closeBrowser,
  listen,
  requireChromium,
  sharedBrowser,
} from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { startDraft } from '../support/residentBrowser.js';
import { signInInBrowser } from '../support/staffBrowser.js';
import { createStaff } from '../support/staff.js';

/**
 * USWDS 3.14 writes its file input's and character count's texts in English (#17 item 11):
 * server/assets/uswds-i18n.js puts the catalogue's in their place. What the script does to USWDS's
 * own elements shows only in a browser. And a SHA-256 in the staff evidence table wraps inside it.
 */
describe('USWDS components in the page’s language, and long values that fit (#17 item 11)', function () {
  const database = useDatabase();
  let server: Awaited<ReturnType<typeof listen>>;
  let built: ReturnType<typeof testApp>;

  before(async function () {
    requireChromium(this);
    built = testApp(database.handle);
    server = await listen(built.app);
  });
  after(async () => {
    await server?.close();
    if (chromiumAvailable) await closeBrowser();
  });

  const inPage = async (viewport: { width: number; height: number }, steps: (page: Page) => Promise<void>) => {
    const context = await (await sharedBrowser()).newContext({ viewport });
    try {
      await steps(await context.newPage());
    } finally {
      await context.close();
    }
  };
  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();
  const ENGLISH = /\b(characters?|allowed|left|over limit|Drag|choose|folder|selected|Change files?)\b/;

  it('the narrative counts in Spanish, cuts no paste, and the text over the limit is refused in Spanish, kept whole', async () => {
    await inPage(VIEWPORTS.phone, async (page) => {
      await startDraft(page, server.baseUrl, 'es');
      const status = '.usa-character-count__status';
      expect(await text(page, status)).to.equal('Se permiten 20,000 caracteres');
      await page.fill('#field-narrative', 'Me');
      expect(await text(page, status)).to.equal('Quedan 19,998 caracteres');
      const pasted = 'a'.repeat(20_004);
      await page.fill('#field-narrative', pasted);
      expect(await page.inputValue('#field-narrative'), 'nothing cut').to.have.length(20_004);
      expect(await text(page, status)).to.equal('4 caracteres más del límite');
      await page.waitForFunction(() =>
        document.querySelector('.usa-character-count__sr-status')?.textContent?.startsWith('Superó'),
      );
      expect(await text(page, '.usa-character-count__sr-status')).to.equal(
        'Superó el límite de caracteres. 4 caracteres más del límite',
      );
      await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
      expect(await text(page, '#field-narrative-error')).to.match(/^Acorte lo que pasó a 20,000 caracteres o menos/);
      expect(await page.inputValue('#field-narrative'), 'the refused text comes back whole').to.equal(pasted);
      expect(await text(page, status), 'counted as shown again').to.equal('4 caracteres más del límite');
    });
  });

  it('the complaint form’s file input speaks Spanish before and after a file is chosen', async () => {
    await inPage(VIEWPORTS.desktop, async (page) => {
      await startDraft(page, server.baseUrl, 'es');
      await page.goto(`${server.baseUrl}/complaint/evidence`);
      await page.waitForSelector('.usa-file-input__instructions');
      expect(await text(page, '.usa-file-input__instructions')).to.match(
        /^(Arrastre los archivos aquí o elija de una carpeta|Elija de una carpeta)$/,
      );
      expect(await page.getAttribute('#field-evidence', 'aria-label')).not.to.match(ENGLISH);
      expect(await text(page, '.usa-file-input > .usa-sr-only')).to.equal('No eligió ningún archivo.');
      await page.setInputFiles('#field-evidence', {
        name: 'nota.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Lo que vi.\n'),
      });
      expect(await text(page, '.usa-file-input__preview-heading')).to.equal('Archivo elegido Cambiar el archivo');
      expect(await page.getAttribute('#field-evidence', 'aria-label')).to.equal('Cambiar el archivo');
      await page.waitForFunction(() =>
        document.querySelector('.usa-file-input > .usa-sr-only')?.textContent?.includes('nota.txt'),
      );
      expect(await text(page, '.usa-file-input > .usa-sr-only')).to.equal('Eligió el archivo: nota.txt');
    });
  });

  it('the staff evidence upload speaks Spanish, and a SHA-256 wraps inside the table at 375 and 1280 px', async () => {
    const supervisor = await createStaff(database.db, ['supervisor']);
    const filed = await request(built.app)
      .post('/api/v1/complaints')
      .send({
        language: 'es',
        narrative: 'Me registraron sin motivo.',
        about: { filing: 'anonymous' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    await inPage(VIEWPORTS.desktop, async (page) => {
      await signInInBrowser(page, server.baseUrl, 'es', supervisor);
      await page.goto(`${server.baseUrl}/staff/cases/${id}`);
      await page.waitForSelector('.usa-file-input__instructions');
      expect(await text(page, '.usa-file-input__instructions')).not.to.match(ENGLISH);
      await page.setInputFiles('#field-evidence', [
        { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('Uno.\n') },
        { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('Dos.\n') },
      ]);
      expect(await text(page, '.usa-file-input__preview-heading')).to.equal('2 archivos elegidos Cambiar los archivos');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/evidence"] button[type="submit"]')]);
    });
    for (const viewport of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
      await inPage(viewport, async (page) => {
        await signInInBrowser(page, server.baseUrl, 'es', supervisor);
        await page.goto(`${server.baseUrl}/staff/cases/${id}`);
        const fit = await page.$eval('#evidence + .usa-table-container--scrollable', (box) => {
          const hashes = Array.from(box.querySelectorAll('.app-hash'), (code) => code.getBoundingClientRect());
          const inside = box.getBoundingClientRect();
          return {
            hashes: hashes.length,
            scrolls: box.scrollWidth > box.clientWidth,
            outside: hashes.filter((r) => r.right > inside.right + 1 || r.left < inside.left - 1).length,
          };
        });
        expect(fit, `${viewport.width} px`).to.deep.equal({ hashes: 2, scrolls: false, outside: 0 });
      });
    }
  });
});
