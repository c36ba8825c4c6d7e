import request from 'supertest';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { checkStaffPages, signInInBrowser } from '../support/staffBrowser.js';
import { createStaff, type TestStaff } from '../support/staff.js';
import { chromiumAvailable, closeBrowser, listen, sharedBrowser, requireChromium } from '../support/browser.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';

const COMPLAINT = {
  language: 'es',
  narrative: 'Me detuvieron sin motivo y me registraron delante de mis hijos.',
  incidentDate: '2026-09-12',
  categories: ['search_seizure'],
  officers: [{ name: 'Agente Pérez', badgeNumber: '4107' }],
  witnesses: [{ name: 'Ana Testigo', contact: '555-0100' }],
  about: { filing: 'self', name: 'Lucía Canario', email: 'lucia@example.com', preferredContact: 'email' },
  consent: true,
  truthful: true,
};

checkStaffPages(
  'case file',
  async ({ db, app, services }) => {
    const staff = {
      intake: await createStaff(db, ['intake']),
      supervisor: await createStaff(db, ['supervisor']),
      investigator: await createStaff(db, ['investigator']),
    };
    const filed = await request(app).post('/api/v1/complaints').send(COMPLAINT).expect(201);
    const { id } = await db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    const sup = {
      kind: 'staff' as const,
      userId: staff.supervisor.id,
      roles: ['supervisor' as const],
      assignedToCase: false,
    };
    for (const type of ['BEGIN_TRIAGE', 'ACCEPT'] as const) await services.workflow.dispatch(id, { type }, sup);
    await services.caseWork.act(
      { userId: staff.supervisor.id, roles: ['supervisor'] },
      id,
      { type: 'ASSIGN', investigatorId: staff.investigator.id },
      2,
    );
    await services.caseWork.act(
      { userId: staff.investigator.id, roles: ['investigator'] },
      id,
      { type: 'BEGIN_INVESTIGATION' },
      3,
    );
    await services.caseWork.addNote({ userId: staff.investigator.id, roles: ['investigator'] }, id, {
      kind: 'interview',
      body: 'Entrevista telefónica.',
    });
    const allegation = await db
      .selectFrom('allegations')
      .select('id')
      .where('complaint_id', '=', id)
      .executeTakeFirstOrThrow();
    return { staff, caseId: id, allegationId: allegation.id };
  },
  [
    { name: 'case file for intake', as: 'intake', path: (f) => `/staff/cases/${f['caseId'] as string}` },
    {
      name: 'case file for the investigator (findings form)',
      as: 'investigator',
      path: (f) => `/staff/cases/${f['caseId'] as string}`,
    },
    {
      name: 'case file with errors in the findings form',
      as: 'investigator',
      path: (f) => `/staff/cases/${f['caseId'] as string}`,
      then: async (page) => {
        await Promise.all([page.waitForNavigation(), page.click('form[action$="/findings"] button[value="submit"]')]);
      },
    },
    { name: 'case file for a supervisor', as: 'supervisor', path: (f) => `/staff/cases/${f['caseId'] as string}` },
    {
      name: 'confirm an irreversible step (a withdrawal)',
      as: 'intake',
      path: (f) => `/staff/cases/${f['caseId'] as string}`,
      then: async (page) => {
        await Promise.all([page.waitForNavigation(), page.click('form[action$="/actions/WITHDRAW"] button')]);
      },
    },
    {
      name: 'confirm submitting findings (not yet complete)',
      as: 'investigator',
      path: (f) => `/staff/cases/${f['caseId'] as string}/findings/submit`,
    },
    {
      name: 'edit an allegation',
      as: 'investigator',
      path: (f) => `/staff/cases/${f['caseId'] as string}/allegations/${f['allegationId'] as string}`,
    },
  ],
);

describe('a complaint from received to findings submitted, in the browser', function () {
  const database = useDatabase();
  let server: Awaited<ReturnType<typeof listen>>;
  let staff: Record<'intake' | 'supervisor' | 'investigator', TestStaff>;

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    const db = database.db;
    staff = {
      intake: await createStaff(db, ['intake']),
      supervisor: await createStaff(db, ['supervisor']),
      investigator: await createStaff(db, ['investigator']),
    };
    server = await listen(built.app);
  });
  after(async () => {
    await server?.close();
    if (chromiumAvailable) await closeBrowser();
  });

  it('intake accepts, the supervisor assigns, the investigator drafts findings, the supervisor submits them', async function () {
    this.timeout(180_000);
    const filed = await request(server.baseUrl)
      .post('/api/v1/complaints')
      .send({ ...COMPLAINT, language: 'en' })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    const browser = await sharedBrowser();
    const as = async (who: TestStaff, steps: (page: Page) => Promise<void>) => {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      try {
        await signInInBrowser(page, server.baseUrl, 'en', who);
        await page.goto(`${server.baseUrl}/staff/cases/${id}`);
        await steps(page);
      } finally {
        await context.close();
      }
    };
    const click = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);
    const state = async () =>
      (await database.db.selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

    await as(staff.intake, async (page) => {
      await click(page, 'form[action$="/actions/BEGIN_TRIAGE"] button');
      await click(page, 'form[action$="/actions/ACCEPT"] button');
    });
    expect(await state()).to.equal('investigation.awaitingAssignment');
    await as(staff.supervisor, async (page) => {
      await page.selectOption('form[action$="/actions/ASSIGN"] select', staff.investigator.id);
      await click(page, 'form[action$="/actions/ASSIGN"] button');
    });
    expect(await state()).to.equal('investigation.assigned');
    await as(staff.investigator, async (page) => {
      await click(page, 'form[action$="/actions/BEGIN_INVESTIGATION"] button');
      await page.click('#notes ~ details summary');
      await page.fill('#field-body', 'Interviewed the complainant.');
      await click(page, 'form[action$="/notes"] button');
      for (const select of await page.$$('form[action$="/findings"] select'))
        await select.selectOption('not_sustained');
      for (const area of await page.$$('form[action$="/findings"] textarea'))
        await area.fill('No video; accounts differ.');
      await click(page, 'form[action$="/findings"] button[value="submit"]');
      await click(page, 'form[action$="/findings/submit"] button');
    });
    expect(await state()).to.equal('investigation.findingsDrafted');
    await as(staff.supervisor, async (page) => {
      await click(page, 'form[action$="/actions/SUBMIT_FINDINGS"] button');
    });
    expect(await state()).to.equal('boardReview.scheduled');
  });
});
