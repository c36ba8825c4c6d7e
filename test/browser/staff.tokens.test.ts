import { expect } from 'chai';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Db } from '../../server/platform/db/database.js';
import type { Services } from '../../server/compose.js';
import { newTotpSecret, totpCode } from '../../server/platform/security/totp.js';
import { csrfOf } from '../support/resident.js';
import { createStaff, sessionCookie, signInPage } from '../support/staff.js';
import { checkStaffPages, type StaffFixture } from '../support/staffBrowser.js';

interface Fixture extends StaffFixture {
  /** The session cookie of a new admin who has passed the second factor. */
  adminSession: () => Promise<string>;
  /** A new token for the holder, waiting to be collected: its id. */
  authorise: (name: string) => Promise<string>;
}

const TOKEN = /oct_[A-Za-z0-9_-]{43}/;

const submit = (page: Page, selector = 'main form button[type="submit"]') =>
  Promise.all([page.waitForNavigation(), page.click(selector)]);

/**
 * A fresh admin each time (a TOTP code works once, R9), signed in over HTTP rather than in the
 * browser: the sign-in pages have their own browser tests, and this keeps these about the tokens.
 */
function adminSessions(app: Express, db: Db, services: Services) {
  return async () => {
    const admin = await createStaff(db, ['admin']);
    const secret = newTotpSecret();
    await services.auth.confirmEnrolment(
      (await services.auth.principal(admin.id))!,
      secret,
      totpCode(secret, new Date()),
    );
    const agent = request.agent(app);
    const csrf = await signInPage(agent);
    await agent.post('/staff/sign-in').type('form').send({ _csrf: csrf, email: admin.email, password: admin.password });
    const codePage = await agent.get('/staff/sign-in/code').expect(200);
    const signedIn = await agent
      .post('/staff/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(codePage.text), code: totpCode(secret, new Date(Date.now() + 30_000)) })
      .expect(303);
    return sessionCookie(signedIn)!.split('=').slice(1).join('=');
  };
}

/** Takes the admin's session into the browser and opens the tokens page. */
async function openTokens(page: Page, fixture: Fixture) {
  const url = new URL(page.url());
  await page
    .context()
    .addCookies([{ name: 'oc_staff', value: await fixture.adminSession(), domain: url.hostname, path: '/staff' }]);
  const response = await page.goto(new URL('/staff/admin/tokens', url).toString());
  expect(response?.status(), 'the tokens page').to.equal(200);
  expect(await page.locator('#field-userId').count()).to.equal(1);
}

/** The holder's tokens page with a token just authorised for them, waiting; its Collect button. */
async function openWaiting(page: Page, fixture: Fixture, name: string) {
  const id = await fixture.authorise(name);
  await page.reload();
  const collect = `form[action="/staff/account/tokens/${id}/collect"] button[type="submit"]`;
  expect(await page.locator(collect).count()).to.equal(1);
  return collect;
}

checkStaffPages<Fixture>(
  'API tokens',
  async ({ app, db, services }) => {
    const adminSession = adminSessions(app, db, services);
    const issuer = await createStaff(db, ['admin']);
    const holder = await createStaff(db, ['investigator'], { name: 'Iris Investigator' });
    await services.apiTokens.issue(issuer.id, { userId: holder.id, name: 'Caseload report' });
    const old = await services.apiTokens.issue(issuer.id, { userId: holder.id, name: 'Old script' });
    await services.apiTokens.revoke(issuer.id, old.id);
    const active = await services.apiTokens.issue(issuer.id, { userId: holder.id, name: 'Weekly summary' });
    await services.apiTokens.collect(holder.id, active.id);
    // One collected long ago, so every state shows: waiting, active, revoked and expired.
    const stale = await services.apiTokens.issue(issuer.id, { userId: holder.id, name: 'Last year' });
    await services.apiTokens.collect(holder.id, stale.id);
    const longAgo = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000);
    await db
      .updateTable('api_tokens')
      .set({ collected_at: longAgo, expires_at: new Date(longAgo.getTime() + 90 * 24 * 60 * 60 * 1000) })
      .where('id', '=', stale.id)
      .execute();
    let count = 0;
    const authorise = async (name: string) =>
      (await services.apiTokens.issue(issuer.id, { userId: holder.id, name: `${name} ${++count}` })).id;
    return { staff: { holder }, adminSession, authorise };
  },
  [
    { name: 'API tokens', as: '', path: () => '/staff/sign-in', then: (page, f) => openTokens(page, f) },
    {
      name: 'API tokens with errors',
      as: '',
      path: () => '/staff/sign-in',
      then: async (page, f) => {
        await openTokens(page, f);
        await page.fill('#field-name', '');
        await submit(page, 'form[action="/staff/admin/tokens"] button[type="submit"]');
        expect(await page.locator('#error-summary li').count()).to.equal(2);
      },
    },
    {
      name: 'a token authorised (no secret for the admin)',
      as: '',
      path: () => '/staff/sign-in',
      then: async (page, f) => {
        await openTokens(page, f);
        await page.selectOption('#field-userId', { index: 1 });
        await page.fill('#field-name', 'Nightly export');
        await submit(page, 'form[action="/staff/admin/tokens"] button[type="submit"]');
        expect(new URL(page.url()).pathname).to.equal('/staff/admin/tokens');
        expect(await page.locator('.usa-alert--success').count()).to.equal(1);
        expect(await page.locator('#api-token').count()).to.equal(0);
        expect(await page.content()).not.to.match(TOKEN);
      },
    },
    {
      name: "the holder's tokens with one waiting",
      as: 'holder',
      path: () => '/staff/account/tokens',
      then: async (page, f) => {
        await openWaiting(page, f, 'Waiting script');
        expect(await page.content()).not.to.match(TOKEN);
      },
    },
    {
      name: 'a token collected (its secret shown once)',
      as: 'holder',
      path: () => '/staff/account/tokens',
      then: async (page, f) => {
        await submit(page, await openWaiting(page, f, 'Collected script'));
        expect(await page.locator('#api-token').textContent()).to.match(TOKEN);
      },
    },
    {
      name: "the holder's tokens after collecting",
      as: 'holder',
      path: () => '/staff/account/tokens',
      then: async (page, f) => {
        await submit(page, await openWaiting(page, f, 'Collected again'));
        const collect = await page.locator('#api-token').count();
        expect(collect).to.equal(1);
        await Promise.all([page.waitForNavigation(), page.click('main a[href="/staff/account/tokens"]')]);
        expect(await page.content()).not.to.match(TOKEN);
      },
    },
  ],
);
