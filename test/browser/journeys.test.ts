import { expect } from 'chai';
import express from 'express';
import type { Page } from 'playwright-core';
import type { Services } from '../../server/compose.js';
import type { Config } from '../../server/platform/config.js';
import type { Db } from '../../server/platform/db/database.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { createAdmin, type TestAdmin } from '../support/admin.js';
import { testApp, testConfig } from '../support/app.js';
import { boardReviewCase } from '../support/board.js';
import { VIEWPORTS, closeBrowser, listen, removeScreenshots, requireChromium } from '../support/browser.js';
import { useDatabase } from '../support/database.js';
import {
  Cast,
  PageChecks,
  expectNoAccessCode,
  follow,
  journeySteps,
  mailTo,
  mailsTo,
  pressAndFollow,
  tabTo,
  tick,
  tomorrowIn,
} from '../support/journey.js';
import { SmtpPeer } from '../support/smtpPeer.js';
import { createStaff, type TestStaff } from '../support/staff.js';

/**
 * Every role's daily path, end to end, through the real pages in Chromium: a resident files on a
 * phone in Spanish and another at a desk in English; intake triages from the new cases; a
 * supervisor assigns; the investigator notes, saves half the findings, comes back and submits them;
 * the supervisor sends them to the board; an admin seats the board; the board meets, one member
 * recuses, two vote, the vote is closed; the resident reads the decision and letter and asks for
 * reconsideration; the other resident withdraws and answers the closing survey from its email; the
 * public sees the dashboard count it and the minutes; the admin checks mail and the audit chain.
 * Then a filing with the keyboard alone and one without JavaScript. Mail goes through the outbox
 * to a real SMTP server on loopback. Every page reached is checked (axe WCAG 2.2 A/AA, language,
 * no sideways scrolling, no CSP errors) and pictured; each step fails naming its pages' problems.
 * Only fixtures are made through services: staff accounts, the admin's code, three allegations
 * decided earlier (so the dashboard's count can show), and the app's own background jobs (the
 * outbox worker, the statistics rebuild).
 */

const es = createTranslator().t('es');
const en = createTranslator().t('en');
const DAY = 86_400_000;

type Viewport = { width: number; height: number };

interface Filed {
  trackingNumber: string;
  accessCode: string;
  id: string;
}

describe('journeys in Chromium: every role, end to end, with the mail they get', function () {
  const database = useDatabase();
  const peer = new SmtpPeer();
  const checks = new PageChecks();
  let services: Services;
  let config: Config;
  let server: Awaited<ReturnType<typeof listen>>;
  let cast: Cast;
  let base = '';
  let db: Db;
  let staff: {
    intake: TestStaff;
    supervisor: TestStaff;
    investigator: TestStaff;
    members: TestStaff[];
    admin: TestAdmin;
  };
  const MEMBER_NAMES = ['Beatriz Fernández-Castillo', 'Bernard Board', 'Bao Board'];
  const INVESTIGATOR_NAME = 'Ivy Investigator';

  before(async function () {
    requireChromium(this);
    this.timeout(60_000);
    removeScreenshots('journeys');
    await peer.start();
    db = database.db;
    const built = testApp(database.handle, { config: testConfig({ SMTP_URL: peer.url }) });
    services = built.services;
    config = built.config;
    // The app's own outbox worker, as the server runs it (every 5 s there; quicker here).
    services.outbox.start(200);
    staff = {
      intake: await createStaff(db, ['intake'], { name: 'Inés Intake' }),
      supervisor: await createStaff(db, ['supervisor'], { name: 'Sol Supervisor' }),
      investigator: await createStaff(db, ['investigator'], { name: INVESTIGATOR_NAME }),
      members: [],
      admin: await createAdmin(services, db),
    };
    for (const name of MEMBER_NAMES) staff.members.push(await createStaff(db, ['board'], { name }));
    // Three allegations decided earlier: with the journey's two, the dashboard can show a count (5).
    const earlier = await boardReviewCase(services, db, { allegations: 3 });
    await db
      .updateTable('allegations')
      .set({ finding: 'not_sustained', decided_at: new Date() })
      .where('complaint_id', '=', earlier)
      .execute();
    server = await listen(built.app);
    base = server.baseUrl;
    cast = new Cast(base, db, checks);
  });

  after(async () => {
    await cast?.close();
    await services?.outbox.stop();
    services?.mail.close();
    await server?.close();
    await peer.stop();
    await closeBrowser();
  });

  const complaintOf = async (trackingNumber: string) =>
    db
      .selectFrom('complaints')
      .select(['id', 'state', 'language'])
      .where('tracking_number', '=', trackingNumber)
      .executeTakeFirstOrThrow();
  const stateOf = async (id: string) =>
    (await db.selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
  const daysAgo = (days: number) =>
    new Date(Date.now() - days * DAY).toLocaleDateString('en-CA', { timeZone: config.agencyTimeZone });

  /** The complaint form's "Save and continue" (or, on the last page, "Submit"), and the page it leads to. */
  const proceed = (page: Page) => follow(page, 'main form button[value="continue"], main form button[value="submit"]');

  /** The receipt's codes as the page shows them (groups of four, the dashes kept). */
  const receiptOf = async (page: Page) => ({
    trackingNumber: (await page.textContent('#tracking-number'))!.replace(/\s/g, ''),
    accessCode: (await page.textContent('#access-code'))!.replace(/\s/g, ''),
  });

  /** From any staff page: the menu's cases, the number filter, and the case's link. */
  const openCase = async (page: Page, who: string, trackingNumber: string) => {
    await follow(page, '.app-staff-nav a[href="/staff/cases"]');
    await checks.check(page, `${who}: queue`, 'en');
    await page.fill('#field-number', trackingNumber);
    await follow(page, '#field-filters button[type="submit"]');
    await checks.check(page, `${who}: queue filtered by number`, 'en');
    await follow(page, `table.app-queue a:text-is("${trackingNumber}")`);
    await checks.check(page, `${who}: case ${trackingNumber}`, 'en');
  };

  /** A workflow action's button on the case page, and the case page it comes back to. */
  const act = async (page: Page, who: string, event: string) => {
    await follow(page, `form[action$="/actions/${event}"] button[type="submit"]`);
    expect(new URL(page.url()).pathname, `${event} leads back to the case`).to.match(/^\/staff\/cases\/[0-9a-f-]+$/);
    await checks.check(page, `${who}: case after ${event}`, 'en');
  };

  describe('from a phone in Spanish to the board’s decision and back', () => {
    const { step } = journeySteps();
    let lucia: Filed;
    let sam: Filed;
    let meetingId = '';

    step(
      'a resident files in Spanish on a phone (375 px): every page, the receipt, the mail in Spanish without the code',
      async () => {
        const page = await cast.person('lucia', { viewport: VIEWPORTS.phone });
        await page.goto(`${base}/`);
        await checks.check(page, 'resident: home', 'en');
        await follow(page, '.app-language a[hreflang="es"]');
        await checks.check(page, 'resident: home in Spanish', 'es');
        await follow(page, 'main a[href="/complaint"]');
        await checks.check(page, 'resident: complaint start', 'es');
        await follow(page, 'form[action="/complaint/start"] button[type="submit"]');
        await checks.check(page, 'resident: what happened', 'es');
        await page.fill('#field-narrative', 'El agente me gritó y me empujó contra el coche delante de mis hijos.');
        await proceed(page);
        await checks.check(page, 'resident: when and where', 'es');
        await page.fill('#field-incidentDate', daysAgo(3));
        await page.fill('#field-incidentTime', 'hacia las 21:00');
        await page.fill('#field-location', 'Calle Mayor y Avenida 3');
        await proceed(page);
        await checks.check(page, 'resident: officers', 'es');
        await page.fill('#field-officerName', 'Agente Pérez');
        await page.fill('#field-officerBadge', '4107');
        await proceed(page);
        await checks.check(page, 'resident: kind of complaint', 'es');
        // Two kinds, so the case has two allegations (the investigator drafts one, then the other).
        for (const k of [0, 1]) {
          const id = await page.locator('input[name="categories"]').nth(k).getAttribute('id');
          await page.click(`label[for="${id}"]`);
        }
        await proceed(page);
        await checks.check(page, 'resident: witnesses', 'es');
        await proceed(page);
        await checks.check(page, 'resident: evidence', 'es');
        await proceed(page);
        await checks.check(page, 'resident: about you', 'es');
        await tick(page, 'input[name="filing"][value="self"]');
        await page.fill('#field-name', 'Lucía Canario');
        await page.fill('#field-email', 'lucia@example.com');
        expect(await page.isChecked('input[name="preferredLanguage"][value="es"]'), 'Spanish offered first').to.equal(
          true,
        );
        await tick(page, 'input[name="preferredContact"][value="email"]');
        await proceed(page);
        await checks.check(page, 'resident: demographics', 'es');
        await proceed(page);
        await checks.check(page, 'resident: check your answers', 'es');
        await tick(page, 'input[name="consent"]');
        await tick(page, 'input[name="truthful"]');
        await proceed(page);
        expect(new URL(page.url()).pathname).to.equal('/complaint/receipt');
        await checks.check(page, 'resident: receipt', 'es');
        const codes = await receiptOf(page);
        const complaint = await complaintOf(codes.trackingNumber);
        expect(complaint.language).to.equal('es');
        lucia = { ...codes, id: complaint.id };

        const mail = await mailTo(peer, 'lucia@example.com', es('email.complaintReceived.subject', codes));
        expect(mail.text).to.include(codes.trackingNumber);
        expectNoAccessCode(mail, codes.accessCode);
        checks.assertClean();
      },
    );

    step(
      'a second resident files in English at a desk (1280 px); the mail is in English, without the code',
      async () => {
        const page = await cast.person('sam', { viewport: VIEWPORTS.desktop });
        await page.goto(`${base}/`);
        await checks.check(page, 'second resident: home', 'en');
        await follow(page, 'main a[href="/complaint"]');
        await checks.check(page, 'second resident: complaint start', 'en');
        await follow(page, 'form[action="/complaint/start"] button[type="submit"]');
        await checks.check(page, 'second resident: what happened', 'en');
        await page.fill('#field-narrative', 'The officer refused to give me his name or badge number.');
        await proceed(page);
        for (const name of ['when and where', 'officers']) {
          await checks.check(page, `second resident: ${name}`, 'en');
          await proceed(page);
        }
        await checks.check(page, 'second resident: kind of complaint', 'en');
        await tick(page, 'input[name="categories"]');
        await proceed(page);
        for (const name of ['witnesses', 'evidence']) {
          await checks.check(page, `second resident: ${name}`, 'en');
          await proceed(page);
        }
        await checks.check(page, 'second resident: about you', 'en');
        await tick(page, 'input[name="filing"][value="self"]');
        await page.fill('#field-name', 'Sam Resident');
        await page.fill('#field-email', 'sam@example.com');
        await tick(page, 'input[name="preferredContact"][value="email"]');
        await proceed(page);
        await checks.check(page, 'second resident: demographics', 'en');
        await proceed(page);
        await checks.check(page, 'second resident: check your answers', 'en');
        await tick(page, 'input[name="consent"]');
        await tick(page, 'input[name="truthful"]');
        await proceed(page);
        await checks.check(page, 'second resident: receipt', 'en');
        const codes = await receiptOf(page);
        sam = { ...codes, id: (await complaintOf(codes.trackingNumber)).id };

        const mail = await mailTo(peer, 'sam@example.com', en('email.complaintReceived.subject', codes));
        expectNoAccessCode(mail, codes.accessCode);
        checks.assertClean();
      },
    );

    step('intake finds it among the new cases in the queue, begins triage and accepts it', async () => {
      const page = await cast.staff(staff.intake, 'intake');
      expect(new URL(page.url()).pathname, 'intake starts at the queue').to.equal('/staff/cases');
      await checks.check(page, 'intake: queue', 'en');
      await follow(page, '.app-queue-views a[href="/staff/cases?view=new"]');
      expect(await page.getAttribute('.app-queue-views a[href="/staff/cases?view=new"]', 'aria-current')).to.equal(
        'true',
      );
      await checks.check(page, 'intake: queue, new cases', 'en');
      expect(await page.locator(`table.app-queue a:text-is("${sam.trackingNumber}")`).count()).to.equal(1);
      await follow(page, `table.app-queue a:text-is("${lucia.trackingNumber}")`);
      await checks.check(page, 'intake: the new case', 'en');
      await act(page, 'intake', 'BEGIN_TRIAGE');
      await act(page, 'intake', 'ACCEPT');
      expect(await stateOf(lucia.id)).to.equal('investigation.awaitingAssignment');
      checks.assertClean();
    });

    step('a supervisor finds it by number and assigns it to an investigator, who is told by mail', async () => {
      const page = await cast.staff(staff.supervisor, 'supervisor');
      await checks.check(page, 'supervisor: start page', 'en');
      await openCase(page, 'supervisor', lucia.trackingNumber);
      // The investigators are offered with their open cases: "Ivy Investigator (0 open cases)".
      const investigator = page.locator('form[action$="/actions/ASSIGN"] option', { hasText: INVESTIGATOR_NAME });
      await page.selectOption(
        'form[action$="/actions/ASSIGN"] select[name="investigatorId"]',
        (await investigator.getAttribute('value'))!,
      );
      await act(page, 'supervisor', 'ASSIGN');
      expect(await stateOf(lucia.id)).to.equal('investigation.assigned');
      await mailTo(peer, staff.investigator.email, lucia.trackingNumber);
      checks.assertClean();
    });

    step(
      'the investigator (on a phone) begins, adds a note, saves half the findings, comes back, completes and submits them',
      async () => {
        const page = await cast.staff(staff.investigator, 'investigator', VIEWPORTS.phone);
        await checks.check(page, 'investigator: start page', 'en');
        await follow(page, `table.app-queue a:text-is("${lucia.trackingNumber}")`);
        await checks.check(page, 'investigator: the assigned case', 'en');
        await act(page, 'investigator', 'BEGIN_INVESTIGATION');

        await page.click('#notes ~ details summary');
        await page.fill(
          'form[action$="/notes"] #field-body',
          'Entrevista telefónica con la denunciante: confirma el empujón.',
        );
        await follow(page, 'form[action$="/notes"] button[type="submit"]');
        await checks.check(page, 'investigator: case with the note', 'en');
        expect(await page.textContent('.app-note')).to.include('confirma el empujón');

        // Half a day's work: the first allegation's finding and reasons, nothing for the second.
        const findings = page.locator('form[action$="/findings"] select[name^="finding-"]');
        const reasons = page.locator('form[action$="/findings"] textarea[name^="rationale-"]');
        expect(await findings.count(), 'one finding per allegation').to.equal(2);
        await findings.nth(0).selectOption('sustained');
        await reasons.nth(0).fill('Two witnesses and the video show the push.');
        await follow(page, 'form[action$="/findings"] button[name="intent"][value="save"]');
        expect(new URL(page.url()).pathname, 'saving stays on the case').to.equal(`/staff/cases/${lucia.id}`);
        expect(
          await page.locator('.usa-alert--success[role="status"]').count(),
          'a message says it was saved',
        ).to.equal(1);
        await checks.check(page, 'investigator: case, findings saved in part', 'en');
        expect(await stateOf(lucia.id), 'saving submits nothing').to.equal('investigation.active');

        // Later: back from the queue, the saved half is there and the rest still blank.
        await follow(page, '.app-staff-nav a[href="/staff/cases"]');
        await checks.check(page, 'investigator: queue', 'en');
        await follow(page, `table.app-queue a:text-is("${lucia.trackingNumber}")`);
        await checks.check(page, 'investigator: case, back to the findings', 'en');
        expect(await findings.nth(0).inputValue()).to.equal('sustained');
        expect(await reasons.nth(0).inputValue()).to.equal('Two witnesses and the video show the push.');
        expect(await findings.nth(1).inputValue()).to.equal('');
        await findings.nth(1).selectOption('not_sustained');
        await reasons.nth(1).fill('The words were not recorded; accounts differ.');
        await follow(page, 'form[action$="/findings"] button[name="intent"][value="submit"]');
        await checks.check(page, 'investigator: confirm submitting the findings', 'en');
        const confirm = page.locator('main form button[type="submit"]');
        expect(await confirm.count(), 'one button confirms').to.equal(1);
        expect(await page.getAttribute('main form:has(button[type="submit"])', 'action')).to.equal(
          `/staff/cases/${lucia.id}/findings/submit`,
        );
        await Promise.all([page.waitForNavigation(), confirm.click()]);
        expect(new URL(page.url()).pathname).to.equal(`/staff/cases/${lucia.id}`);
        await checks.check(page, 'investigator: case, findings submitted', 'en');
        expect(await stateOf(lucia.id)).to.equal('investigation.findingsDrafted');
        checks.assertClean();
      },
    );

    step('the supervisor sends the findings to the board', async () => {
      const page = await cast.staff(staff.supervisor, 'supervisor');
      await openCase(page, 'supervisor', lucia.trackingNumber);
      await act(page, 'supervisor', 'SUBMIT_FINDINGS');
      expect(await stateOf(lucia.id)).to.equal('boardReview.scheduled');
      checks.assertClean();
    });

    step('an admin signs in with password and code and seats the board', async () => {
      const page = await cast.staff(staff.admin, 'admin');
      await checks.check(page, 'admin: start page', 'en');
      await follow(page, '.app-staff-nav a[href="/staff/admin"]');
      await checks.check(page, 'admin: administration', 'en');
      await follow(page, 'main a[href="/staff/admin/board"]');
      await checks.check(page, 'admin: board settings', 'en');
      for (const name of MEMBER_NAMES) {
        const label = page.locator('label.usa-checkbox__label', { hasText: name });
        const input = page.locator(`#${await label.getAttribute('for')}`);
        if (!(await input.isChecked())) await label.click();
      }
      await tick(page, 'input[name="quorum"][value="majority"]');
      await tick(page, 'input[name="tieRule"][value="not_sustained"]');
      await tick(page, 'input[name="seesIdentity"][value="no"]');
      await tick(page, 'input[name="publicMemberNames"][value="no"]');
      await follow(page, 'form[action="/staff/admin/board"] button[type="submit"]');
      await checks.check(page, 'admin: board settings saved', 'en');
      expect(await page.locator('#error-summary').count(), 'saved without errors').to.equal(0);
      checks.assertClean();
    });

    step(
      'the board meets: scheduled for tomorrow, the case on the agenda, voting opened early; one member recuses, two vote; the vote is closed',
      async () => {
        const page = await cast.staff(staff.supervisor, 'supervisor');
        await follow(page, '.app-staff-nav a[href="/staff/board"]');
        await checks.check(page, 'organiser: board meetings', 'en');
        await page.fill('#field-date', tomorrowIn(config.agencyTimeZone));
        await page.fill('#field-time', '18:00');
        await page.fill('#field-location', 'City Hall, Room 201');
        await follow(page, 'form[action="/staff/board/meetings"] button[type="submit"]');
        meetingId = /\/staff\/board\/meetings\/([0-9a-f-]+)/.exec(page.url())?.[1] ?? '';
        expect(meetingId, 'scheduling leads to the meeting').not.to.equal('');
        await checks.check(page, 'organiser: the meeting, scheduled', 'en');
        const option = page.locator('select[name="complaintId"] option', { hasText: lucia.trackingNumber });
        await page.selectOption('select[name="complaintId"]', (await option.getAttribute('value'))!);
        await follow(page, 'form[action$="/items"] button[type="submit"]');
        await checks.check(page, 'organiser: the meeting with its agenda', 'en');
        // Tomorrow's meeting: opening its vote today asks to be sure.
        expect(await page.locator('input[name="early"]').count(), 'an early vote is confirmed').to.equal(1);
        await tick(page, 'input[name="early"]');
        await follow(page, 'form[action$="/open"] button[type="submit"]');
        await checks.check(page, 'organiser: the meeting, voting', 'en');
        const meeting = await db
          .selectFrom('board_meetings')
          .select('status')
          .where('id', '=', meetingId)
          .executeTakeFirstOrThrow();
        expect(meeting.status).to.equal('voting');

        const plan: Array<{ member: TestStaff; name: string; vote: 'recuse' | 'vote'; viewport: Viewport }> = [
          { member: staff.members[2]!, name: 'member who recuses', vote: 'recuse', viewport: VIEWPORTS.phone },
          { member: staff.members[0]!, name: 'first member', vote: 'vote', viewport: VIEWPORTS.phone },
          { member: staff.members[1]!, name: 'second member', vote: 'vote', viewport: VIEWPORTS.desktop },
        ];
        for (const { member, name, vote, viewport } of plan) {
          const own = await cast.staff(member, name, viewport);
          expect(new URL(own.url()).pathname, 'a member starts at the meetings').to.equal('/staff/board');
          await checks.check(own, `${name}: board meetings`, 'en');
          await follow(own, `main a[href="/staff/board/meetings/${meetingId}"]`);
          await checks.check(own, `${name}: the meeting`, 'en');
          await follow(own, 'main a[href^="/staff/board/items/"][href$="/ballot"]');
          await checks.check(own, `${name}: the ballot`, 'en');
          if (vote === 'recuse') {
            await own.fill(
              'form[action$="/recuse"] #field-reason',
              'Conozco a la denunciante de la asociación de vecinos.',
            );
            await tick(own, 'input[name="confirm"]');
            await follow(own, 'form[action$="/recuse"] button[type="submit"]');
            await checks.check(own, `${name}: recused`, 'en');
            continue;
          }
          const selects = own.locator('form[action$="/ballot"] select[name^="finding-"]');
          expect(await selects.count()).to.equal(2);
          await selects.nth(0).selectOption('sustained');
          await selects.nth(1).selectOption('not_sustained');
          const rationales = own.locator('form[action$="/ballot"] textarea[name^="rationale-"]');
          await rationales.nth(0).fill(`${name}: the video shows the push.`);
          await rationales.nth(1).fill(`${name}: no record of the words.`);
          await own.locator('form[action$="/ballot"] textarea[name^="recommendation-"]').nth(0).fill('Retraining.');
          await follow(own, 'form[action$="/ballot"] button[type="submit"]');
          await checks.check(own, `${name}: after voting`, 'en');
        }

        // The organiser closes the vote: the meeting's button asks first, the confirmation closes.
        await follow(page, '.app-staff-nav a[href="/staff/board"]');
        await checks.check(page, 'organiser: board meetings, voting under way', 'en');
        await follow(page, `main a[href="/staff/board/meetings/${meetingId}"]`);
        await checks.check(page, 'organiser: the meeting after the votes', 'en');
        await follow(page, `form[action="/staff/board/meetings/${meetingId}/close"] button[type="submit"]`);
        await checks.check(page, 'organiser: close the vote, confirmation', 'en');
        await follow(page, `main form[action="/staff/board/meetings/${meetingId}/close"] button[type="submit"]`);
        await checks.check(page, 'organiser: the meeting, closed', 'en');
        const item = await db
          .selectFrom('agenda_items')
          .select(['outcome'])
          .where('meeting_id', '=', meetingId)
          .executeTakeFirstOrThrow();
        expect(item.outcome).to.equal('decided');
        expect(await stateOf(lucia.id)).to.equal('disposition');
        const recused = await db.selectFrom('recusals').select('id').where('complaint_id', '=', lucia.id).execute();
        expect(recused).to.have.length(1);

        const mail = await mailTo(
          peer,
          'lucia@example.com',
          es('email.decisionLetter.subject', { trackingNumber: lucia.trackingNumber }),
        );
        expect(mail.text).to.include(es('finding.sustained'));
        // Every message the resident got (receipt, each stage, the decision) is in Spanish and without the code.
        const all = mailsTo(peer, 'lucia@example.com');
        expect(all.length).to.be.at.least(4);
        for (const message of all) {
          expectNoAccessCode(message, lucia.accessCode);
          expect(message.subject).to.include(lucia.trackingNumber);
          expect(message.text, 'in Spanish').to.match(/\bsu queja\b/i);
        }
        checks.assertClean();
      },
    );

    step(
      'the resident looks up the case, reads the decision and its letter, and asks for reconsideration',
      async () => {
        const page = await cast.person('lucia');
        await follow(page, '.usa-logo a');
        await checks.check(page, 'resident: home again', 'es');
        await follow(page, 'main a[href="/status"]');
        await checks.check(page, 'resident: status lookup', 'es');
        await page.fill('#field-trackingNumber', lucia.trackingNumber);
        await page.fill('#field-accessCode', lucia.accessCode);
        await follow(page, 'main form[action="/status"] button[type="submit"]');
        expect(new URL(page.url()).pathname).to.equal('/status/case');
        await checks.check(page, 'resident: the case, decided', 'es');
        expect(await page.textContent('main')).to.include(es('publicStage.decided'));
        expect(await page.textContent('main table')).to.include(es('findingMeaning.sustained'));
        await follow(page, 'main a[href="/status/decision"]');
        await checks.check(page, 'resident: decision letter', 'es');
        expect(await page.textContent('.app-letter')).to.include(es('finding.sustained'));
        await follow(page, '.app-letter a[href="/status/reconsideration"]');
        await checks.check(page, 'resident: ask for reconsideration', 'es');
        await follow(page, 'main form[action="/status/reconsideration"] button[type="submit"]');
        expect(new URL(page.url()).search).to.equal('?done=reconsideration');
        await checks.check(page, 'resident: reconsideration asked', 'es');
        expect(await stateOf(lucia.id), 'back to the board').to.equal('boardReview.scheduled');
        // The supervisors are told (their notice is in their own language).
        await mailTo(peer, staff.supervisor.email, new RegExp(`${lucia.trackingNumber}[\\s\\S]*reconsideration`, 'i'));
        checks.assertClean();
      },
    );

    step('the second resident withdraws, and answers the closing survey from its email', async () => {
      const page = await cast.person('sam');
      await follow(page, '.usa-logo a');
      await checks.check(page, 'second resident: home again', 'en');
      await follow(page, 'main a[href="/status"]');
      await checks.check(page, 'second resident: status lookup', 'en');
      await page.fill('#field-trackingNumber', sam.trackingNumber);
      await page.fill('#field-accessCode', sam.accessCode);
      await follow(page, 'main form[action="/status"] button[type="submit"]');
      await checks.check(page, 'second resident: the case', 'en');
      await follow(page, 'main a[href="/status/withdraw"]');
      await checks.check(page, 'second resident: withdraw', 'en');
      await follow(page, 'main form[action="/status/withdraw"] button[type="submit"]');
      await checks.check(page, 'second resident: withdrawn', 'en');
      expect(await stateOf(sam.id)).to.equal('closed');

      const invitation = await mailTo(
        peer,
        'sam@example.com',
        en('survey.email.subject', { trackingNumber: sam.trackingNumber }),
      );
      expectNoAccessCode(invitation, sam.accessCode);
      const link = /https?:\/\/\S+?(\/survey\/[A-Za-z0-9_.~-]+)/.exec(invitation.text)?.[1];
      expect(link, 'the survey link in the mail').to.be.a('string');
      // Following the mail's link (its host is the configured public address; the path is the link).
      await page.goto(`${base}${link}`);
      await checks.check(page, 'second resident: closing survey', 'en');
      for (const question of ['respect', 'understood', 'informed', 'explained', 'trust']) {
        await tick(page, `input[name="${question}"][value="4"]`);
      }
      await page.fill('#field-comment', 'Quick and polite, thank you.');
      await follow(page, 'main form button[type="submit"]');
      await checks.check(page, 'second resident: survey thanks', 'en');
      expect(await page.textContent('main h1')).to.equal(en('survey.thanks.title'));
      const answered = await db
        .selectFrom('surveys')
        .select(['respect', 'answered_at'])
        .where('complaint_id', '=', sam.id)
        .executeTakeFirstOrThrow();
      expect(answered.respect).to.equal(4);
      checks.assertClean();
    });

    step('the public sees the decision counted on the dashboard, the open data and the minutes', async () => {
      // The app rebuilds the public statistics in the background (every 15 minutes); now, here.
      await services.statistics.refresh();
      const page = await cast.person('public', { viewport: VIEWPORTS.phone });
      await page.goto(`${base}/?lang=en`);
      await checks.check(page, 'public: home', 'en');
      await follow(page, '.usa-footer a[href="/dashboard"]');
      await checks.check(page, 'public: dashboard', 'en');
      // The key figures' numbers, behind "Show the numbers" under the summary.
      await page.click('details.app-numbers:has(#table-key-caption) > summary');
      const decided = page.locator(
        `table:has(#table-key-caption) tr:has(th:text-is("${en('dashboard.key.decided')}")) td`,
      );
      // Three allegations decided earlier and the journey's two: 5, where 3 alone read "fewer than 5".
      expect((await decided.first().textContent())?.trim()).to.equal('5');
      await follow(page, '.usa-footer a[href="/data"]');
      await checks.check(page, 'public: open data', 'en');
      await follow(page, '.usa-logo a');
      await checks.check(page, 'public: home again', 'en');
      await follow(page, 'main a[href="/board"]');
      await checks.check(page, 'public: board meetings', 'en');
      await follow(page, `main a[href="/board/meetings/${meetingId}"]`);
      await checks.check(page, 'public: the meeting’s minutes', 'en');
      const item = await db
        .selectFrom('agenda_items')
        .select('public_reference')
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      const minutes = (await page.textContent('main'))!;
      expect(minutes).to.include(item.public_reference);
      expect(minutes).to.include(en('finding.sustained'));
      expect(minutes, 'no tracking number in public').not.to.include(lucia.trackingNumber);
      expect(minutes, 'no name in public').not.to.include('Lucía');
      checks.assertClean();
    });

    step(
      'the admin ends the day: no mail stuck in the outbox, the case in the audit log, the chain intact',
      async () => {
        const page = await cast.staff(staff.admin, 'admin');
        await follow(page, '.app-staff-nav a[href="/staff/admin"]');
        await checks.check(page, 'admin: administration again', 'en');
        await follow(page, 'main a[href="/staff/admin/outbox"]');
        await checks.check(page, 'admin: outbox', 'en');
        expect(await services.outbox.deadLetters(), 'no mail dead-lettered').to.deep.equal([]);
        await follow(page, '.app-staff-nav a[href="/staff/admin"]');
        await checks.check(page, 'admin: administration, back from the outbox', 'en');
        await follow(page, 'main a[href="/staff/admin/audit"]');
        await checks.check(page, 'admin: audit log', 'en');
        await page.fill('#field-object', lucia.id);
        await follow(page, 'form[action="/staff/admin/audit"] button[type="submit"]');
        await checks.check(page, 'admin: audit log of the case', 'en');
        expect(await page.locator('main table tbody tr').count(), 'the case’s events').to.be.at.least(8);
        await follow(page, 'form[action="/staff/admin/audit/verify"] button[type="submit"]');
        await checks.check(page, 'admin: audit chain verified', 'en');
        expect(await page.locator('.usa-alert--success').count(), 'the chain is intact').to.equal(1);
        checks.assertClean();
      },
    );
  });

  it('the journeys’ checks fail naming the page, its address and width, and what is wrong', async () => {
    const broken = express().get('/broken', (_req, res) => {
      res.send(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main><img src="/x.png"></main></body></html>',
      );
    });
    const brokenServer = await listen(broken);
    const own = new PageChecks('self-test ');
    const page = await cast.person('checker', { viewport: VIEWPORTS.phone });
    try {
      await page.goto(`${brokenServer.baseUrl}/broken`);
      await own.check(page, 'a broken page', 'es');
      expect(() => own.assertClean())
        .to.throw()
        .that.satisfies((error: Error) =>
          ['a broken page (/broken, 375 px): axe image-alt', 'lang="en", not es'].every((part) =>
            error.message.includes(part),
          ),
        );
      own.assertClean(); // reported once, then cleared
    } finally {
      await brokenServer.close();
    }
  });

  describe('filing with the keyboard alone: Tab, Space, Enter and typing, never a click', () => {
    const { step } = journeySteps();

    step('a resident files in English with the keyboard; the receipt mail arrives without the code', async () => {
      const page = await cast.person('keyboard', { viewport: VIEWPORTS.desktop });
      await page.goto(`${base}/?lang=en`);
      await checks.check(page, 'keyboard: home', 'en');
      await tabTo(page, 'main a[href="/complaint"]');
      await pressAndFollow(page, 'Enter');
      await checks.check(page, 'keyboard: complaint start', 'en');
      await tabTo(page, 'form[action="/complaint/start"] button');
      await pressAndFollow(page, 'Enter');
      await checks.check(page, 'keyboard: what happened', 'en');
      const next = async (name: string) => {
        await tabTo(page, 'main form button[value="continue"], main form button[value="submit"]');
        await pressAndFollow(page, 'Enter');
        await checks.check(page, `keyboard: ${name}`, 'en');
      };
      await tabTo(page, '#field-narrative');
      await page.keyboard.type('The officer took my phone and would not give it back.');
      await next('when and where');
      await next('officers');
      await next('kind of complaint');
      await tabTo(page, 'input[name="categories"]');
      await page.keyboard.press('Space');
      expect(await page.isChecked('input[name="categories"] >> nth=0')).to.equal(true);
      await next('witnesses');
      await next('evidence');
      await next('about you');
      // The first radio of a group none is chosen in takes the focus: "myself", then "email".
      await tabTo(page, 'input[name="filing"]');
      await page.keyboard.press('Space');
      expect(await page.isChecked('input[name="filing"][value="self"]')).to.equal(true);
      await tabTo(page, '#field-name');
      await page.keyboard.type('Kim Keys');
      await tabTo(page, '#field-email');
      await page.keyboard.type('kim@example.com');
      await tabTo(page, 'input[name="preferredContact"]');
      await page.keyboard.press('Space');
      expect(await page.isChecked('input[name="preferredContact"][value="email"]')).to.equal(true);
      await next('demographics');
      await next('check your answers');
      await tabTo(page, 'input[name="consent"]');
      await page.keyboard.press('Space');
      await tabTo(page, 'input[name="truthful"]');
      await page.keyboard.press('Space');
      await next('receipt');
      expect(new URL(page.url()).pathname).to.equal('/complaint/receipt');
      const codes = await receiptOf(page);
      const mail = await mailTo(peer, 'kim@example.com', en('email.complaintReceived.subject', codes));
      expectNoAccessCode(mail, codes.accessCode);
      checks.assertClean();
    });
  });

  describe('filing with JavaScript off', () => {
    const { step } = journeySteps();

    step('a resident files anonymously in Spanish on a phone with JavaScript disabled', async () => {
      const page = await cast.person('no-script', { viewport: VIEWPORTS.phone, javaScriptEnabled: false });
      await page.goto(`${base}/?lang=es`);
      await checks.check(page, 'no JavaScript: home', 'es');
      await follow(page, 'main a[href="/complaint"]');
      await checks.check(page, 'no JavaScript: complaint start', 'es');
      await follow(page, 'form[action="/complaint/start"] button[type="submit"]');
      await checks.check(page, 'no JavaScript: what happened', 'es');
      await page.fill('#field-narrative', 'Me pararon sin motivo y no me dijeron por qué.');
      await proceed(page);
      for (const name of ['when and where', 'officers', 'kind of complaint', 'witnesses', 'evidence']) {
        await checks.check(page, `no JavaScript: ${name}`, 'es');
        await proceed(page);
      }
      await checks.check(page, 'no JavaScript: about you', 'es');
      await tick(page, 'input[name="filing"][value="anonymous"]');
      await proceed(page);
      await checks.check(page, 'no JavaScript: demographics', 'es');
      await proceed(page);
      await checks.check(page, 'no JavaScript: check your answers', 'es');
      await tick(page, 'input[name="consent"]');
      await tick(page, 'input[name="truthful"]');
      await proceed(page);
      expect(new URL(page.url()).pathname).to.equal('/complaint/receipt');
      await checks.check(page, 'no JavaScript: receipt', 'es');
      const codes = await receiptOf(page);
      const complaint = await complaintOf(codes.trackingNumber);
      expect(complaint.language).to.equal('es');
      // Without JavaScript the print button stays hidden and the page says how to print.
      expect(await page.isVisible('button[data-print]')).to.equal(false);
      expect(await page.textContent('main')).to.include(es('receipt.print'));
      // Anonymous: no offer to email the receipt, and nobody to write to.
      expect(await page.locator('form[action="/complaint/receipt/email"]').count()).to.equal(0);
      const people = await db
        .selectFrom('complainants')
        .select('id')
        .where('complaint_id', '=', complaint.id)
        .execute();
      expect(people).to.deep.equal([]);
      checks.assertClean();
    });
  });

  after(() => {
    const seconds = Math.round(checks.seconds);
    process.stdout.write(`    ${checks.checked} pages checked on the journeys (${seconds} s of checks and pictures)\n`);
  });
});
