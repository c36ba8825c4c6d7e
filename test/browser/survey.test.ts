import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Services } from '../../server/compose.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import { testApp } from '../support/app.js';
import { VIEWPORTS, closeBrowser, contextPerPage, listen, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { checkStaffPages } from '../support/staffBrowser.js';

const STAFF: Actor = {
  kind: 'staff',
  userId: '00000000-0000-4000-8000-000000000001',
  roles: ['supervisor', 'intake'],
  assignedToCase: true,
};

/** The closing survey in Chromium: both languages, phone and desktop, zero axe violations. */
describe('closing survey pages in a browser: WCAG 2.2 AA', function () {
  const database = useDatabase();
  const contexts = contextPerPage();
  let server: Awaited<ReturnType<typeof listen>>;
  let services: Services;
  let app: ReturnType<typeof testApp>['app'];
  let filed = 0;

  /** A named complaint, filed through the API and dismissed: its survey token, from the queued invitation. */
  const closedSurvey = async (language: 'en' | 'es'): Promise<string> => {
    const email = `browser${++filed}@example.com`;
    const res = await request(app)
      .post('/api/v1/complaints')
      .send({
        language,
        narrative: 'The officer shouted at me.',
        about: {
          filing: 'self',
          name: 'Browser Resident',
          email,
          preferredLanguage: language,
          preferredContact: 'email',
        },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', (res.body as { trackingNumber: string }).trackingNumber)
      .executeTakeFirstOrThrow();
    await services.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, STAFF);
    await services.workflow.dispatch(id, { type: 'DISMISS', reason: 'no_jurisdiction' }, STAFF);
    const invitation = await database.db
      .selectFrom('outbox')
      .select('data')
      .where('recipient', '=', email)
      .where('template', '=', 'surveyInvitation')
      .executeTakeFirstOrThrow();
    return (invitation.data as { surveyUrl: string }).surveyUrl.split('/survey/')[1]!;
  };

  let open = '';
  let used = '';
  /** One fresh survey per thank-you page visited: each can be answered once. */
  const fresh: string[] = [];

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    services = built.services;
    app = built.app;
    open = await closedSurvey('en');
    used = await closedSurvey('es');
    for (let i = 0; i < 4; i++) fresh.push(await closedSurvey(i % 2 ? 'es' : 'en'));
    server = await listen(app);
    // The used link: answered once already.
    const agent = request.agent(app);
    const form = await agent.get(`/survey/${used}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    await agent.post(`/survey/${used}`).type('form').send({ _csrf: csrf, respect: '4' }).expect(200);
  });
  after(async () => {
    await contexts.close();
    await server?.close();
    await closeBrowser();
  });

  /** USWDS draws its own radios: the input is hidden and its label takes the click. */
  const tick = async (page: Page, name: string, value: string) => {
    const id = await page.getAttribute(`input[name="${name}"][value="${value}"]`, 'id');
    await page.click(`label[for="${id}"]`);
  };
  const submit = (page: Page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

  const pages: Array<{
    name: string;
    path?: () => string;
    prepare?: (page: Page, language: string) => Promise<void>;
    check?: (page: Page, language: string) => Promise<void>;
  }> = [
    {
      name: 'survey form',
      path: () => `/survey/${open}`,
      check: async (page) => {
        expect(await page.locator('fieldset legend').count()).to.equal(5);
      },
    },
    {
      name: 'survey form with errors',
      prepare: async (page, language) => {
        await page.goto(`${server.baseUrl}/survey/${open}?lang=${language}`);
        await submit(page); // nothing answered
      },
      check: async (page) => {
        expect(await page.locator('#error-summary').count()).to.equal(1);
        expect(await page.getAttribute('#error-summary a', 'href')).to.equal('#field-answers');
      },
    },
    {
      name: 'thank-you page',
      prepare: async (page, language) => {
        await page.goto(`${server.baseUrl}/survey/${fresh.shift()}?lang=${language}`);
        await tick(page, 'respect', '5');
        await tick(page, 'trust', '2');
        await page.fill('#field-comment', 'A comment for staff only.');
        await submit(page);
      },
      check: async (page, language) => {
        expect(await page.textContent('h1')).to.equal(
          language === 'es' ? 'Gracias por sus respuestas' : 'Thank you for your answers',
        );
      },
    },
    { name: 'used-link page', path: () => `/survey/${used}` },
    { name: 'unknown-link page', path: () => `/survey/${'Z'.repeat(43)}` },
  ];

  for (const entry of pages) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${entry.name} in ${language} at ${width} width`, async () => {
          const url = entry.path ? `${server.baseUrl}${entry.path()}?lang=${language}` : undefined;
          const report = await contexts.inspect(`${entry.name}|${language}`, url, viewport, async (page) => {
            if (entry.prepare) await entry.prepare(page, language);
            if (entry.check) {
              if (url) await page.goto(url);
              await entry.check(page, language);
            }
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

/** A supervisor's case page shows the closing survey: answered (with its internal comment) and not yet answered. */
checkStaffPages(
  'closing survey on the case page',
  async ({ db, app, services }) => {
    const staff = { supervisor: await createStaff(db, ['supervisor']) };
    const closed = async (email: string) => {
      const res = await request(app)
        .post('/api/v1/complaints')
        .send({
          language: 'en',
          narrative: 'The officer shouted at me.',
          about: { filing: 'self', name: 'Survey Resident', email, preferredContact: 'email' },
          consent: true,
          truthful: true,
        })
        .expect(201);
      const { id } = await db
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', (res.body as { trackingNumber: string }).trackingNumber)
        .executeTakeFirstOrThrow();
      await services.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, STAFF);
      await services.workflow.dispatch(id, { type: 'REFER', agency: 'County Sheriff Internal Affairs' }, STAFF);
      return id;
    };
    const answered = await closed('answered@example.com');
    await db
      .updateTable('surveys')
      .set({ answered_at: new Date(), respect: 4, understood: 2, informed: null, explained: 5, trust: 3 })
      .set({ comment: 'Nobody told me the case had been referred.' })
      .where('complaint_id', '=', answered)
      .execute();
    return { staff, answered, waiting: await closed('waiting@example.com') };
  },
  [
    { name: 'case with an answered survey', as: 'supervisor', path: (f) => `/staff/cases/${f['answered'] as string}` },
    { name: 'case with an unanswered survey', as: 'supervisor', path: (f) => `/staff/cases/${f['waiting'] as string}` },
  ],
);
