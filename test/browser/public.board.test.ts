import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { ballotFor, boardReviewCase, openMeeting, organiserFor, toBoardReview } from '../support/board.js';
import { VIEWPORTS, closeBrowser, contextPerPage, inspectPage, listen, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';

const DAY = 86_400_000;

/** The public board pages and the resident's decision letter in Chromium: both languages, phone and desktop. */
describe('public board pages and the decision letter in a browser: WCAG 2.2 AA', function () {
  const database = useDatabase();
  const contexts = contextPerPage();
  let server: Awaited<ReturnType<typeof listen>>;
  let services: Services;
  let held = '';
  let upcoming = '';
  let codes: { trackingNumber: string; accessCode: string };

  const db = () => database.db;

  /** Moves a case to the board and has the seated members decide it at a meeting, closed afterwards. */
  const decide = async (organiser: Viewer, members: Viewer[], complaintIds: string[]) => {
    const { meetingId, items } = await openMeeting(services, organiser, complaintIds);
    for (const [k, id] of complaintIds.entries()) {
      for (const [m, member] of members.entries()) {
        const findings = ['sustained', m === 2 ? 'exonerated' : 'not_sustained'] as const;
        await services.boardVotes.vote(member, items[k]!, await ballotFor(db(), id, [...findings]));
      }
    }
    await services.boardMeetings.closeVoting(organiser, meetingId);
    return meetingId;
  };

  before(async function () {
    requireChromium(this);
    const built = testApp(database.handle);
    services = built.services;
    await db()
      .insertInto('districts')
      .values({ code: 'northside', name_en: 'Northside District', name_es: 'Distrito Norte' })
      .execute();
    const organiser = await organiserFor(db());
    const members: Viewer[] = [];
    for (const name of ['Harriet Votewell', 'Ignatius Ballotby', 'Josefina Quorumez']) {
      members.push({ userId: (await createStaff(db(), ['board'], { name })).id, roles: ['board'] });
    }
    // Names public, so the minutes show the most they ever can.
    await services.boardSettings.save(organiser.userId, {
      quorum: { kind: 'majority' },
      tieRule: 'not_sustained',
      seated: members.map((m) => m.userId),
      seesIdentity: false,
      publicMemberNames: true,
    });

    // A resident's own case, filed through the API so the browser can look it up with its codes.
    const filed = await request(built.app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'The officer shouted at me.',
        categories: ['force', 'discourtesy'],
        about: { filing: 'self', name: 'Browser Resident', email: 'browser@example.com', preferredContact: 'email' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    codes = filed.body as typeof codes;
    const resident = (
      await db()
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', codes.trackingNumber)
        .executeTakeFirstOrThrow()
    ).id;
    await toBoardReview(services, resident, organiser.userId);

    const other = await boardReviewCase(services, db(), { allegations: 2, categories: ['force', 'discourtesy'] });
    await db().updateTable('complaints').set({ district: 'northside' }).where('id', '=', other).execute();
    held = await decide(organiser, members, [other, resident]);

    const waiting = await boardReviewCase(services, db(), { allegations: 1 });
    upcoming = await services.boardMeetings.schedule(organiser, {
      scheduledFor: new Date(Date.now() + 28 * DAY),
      location: 'Council Chambers, 200 Civic Plaza',
    });
    await services.boardMeetings.addCase(organiser, upcoming, waiting);
    server = await listen(built.app);
  });
  after(async () => {
    await contexts.close();
    await server?.close();
    await closeBrowser();
  });

  /** Looks the resident's case up in the browser, which then holds the case pass. */
  const lookUp = async (page: Page, language: string) => {
    await page.goto(`${server.baseUrl}/status?lang=${language}`);
    await page.fill('#field-trackingNumber', codes.trackingNumber);
    await page.fill('#field-accessCode', codes.accessCode);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
  };

  const pages: Array<{ name: string; path: () => string; prepare?: (page: Page, language: string) => Promise<void> }> =
    [
      { name: 'board meetings', path: () => '/board' },
      { name: 'minutes of a meeting held', path: () => `/board/meetings/${held}` },
      { name: 'agenda of an upcoming meeting', path: () => `/board/meetings/${upcoming}` },
      { name: 'unknown meeting', path: () => '/board/meetings/00000000-0000-4000-8000-000000000000' },
      { name: 'case status with a decision', path: () => '/status/case', prepare: lookUp },
      { name: 'decision letter', path: () => '/status/decision', prepare: lookUp },
    ];

  for (const entry of pages) {
    for (const language of ['en', 'es'] as const) {
      for (const [width, viewport] of Object.entries(VIEWPORTS)) {
        it(`${entry.name} in ${language} at ${width} width`, async () => {
          const url = `${server.baseUrl}${entry.path()}?lang=${language}`;
          const prepare = entry.prepare && ((p: Page) => entry.prepare!(p, language));
          const report = await contexts.inspect(`${entry.name}|${language}`, url, viewport, prepare);
          expect(report.lang).to.equal(language);
          expect(report.violations, JSON.stringify(report.violations, null, 2)).to.deep.equal([]);
          expect(report.horizontalOverflow, 'page scrolls sideways').to.equal(false);
          expect(report.cspErrors).to.deep.equal([]);
        });
      }
    }
  }

  it('the decision letter is the page the browser reaches from the case, not a redirect back', async () => {
    let heading: string | null = null;
    await inspectPage(undefined, VIEWPORTS.phone, async (page) => {
      await lookUp(page, 'en');
      await Promise.all([page.waitForNavigation(), page.click('a[href="/status/decision"]')]);
      expect(page.url()).to.match(/\/status\/decision$/);
      heading = await page.textContent('h1');
    });
    expect(heading).to.equal('Decision on your complaint');
  });
});
