import { expect } from 'chai';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Db } from '../../server/platform/db/database.js';
import type { Role } from '../../server/domain/vocabulary.js';
import type { Services } from '../../server/compose.js';
import { newTotpSecret, totpCode } from '../../server/platform/security/totp.js';
import { csrfOf, type Agent } from './resident.js';
import { createStaff, signInPage, type TestStaff } from './staff.js';

/** An admin (R9: admins need a second factor) with their TOTP secret, to make codes with. */
export interface TestAdmin extends TestStaff {
  secret: string;
}

/** A member of staff with these roles (admin by default) and two-step sign-in already set up. */
export async function createAdmin(services: Services, db: Db, roles: Role[] = ['admin']): Promise<TestAdmin> {
  const staff = await createStaff(db, roles);
  const secret = newTotpSecret();
  const user = (await services.auth.principal(staff.id))!;
  expect(await services.auth.confirmEnrolment(user, secret, totpCode(secret, new Date()))).to.equal(true);
  return { ...staff, secret };
}

/**
 * A code the admin has not used yet. A code works once (R9): the last step used is forgotten
 * first, so a test can sign the same admin in as often as it needs within one 30-second step.
 */
export async function freshCode(db: Db, admin: TestAdmin): Promise<string> {
  await db.updateTable('users').set({ totp_last_step: null }).where('id', '=', admin.id).execute();
  return totpCode(admin.secret, new Date());
}

/** Signs an admin in with password and code over HTTP; their session has passed the second factor. */
export async function signInAdminAs(app: Express, db: Db, admin: TestAdmin): Promise<Agent> {
  const agent = request.agent(app);
  const token = await signInPage(agent);
  await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ _csrf: token, email: admin.email, password: admin.password })
    .expect(303);
  const codePage = await agent.get('/staff/sign-in/code').expect(200);
  const res = await agent
    .post('/staff/sign-in/code')
    .type('form')
    .send({ _csrf: csrfOf(codePage.text), code: await freshCode(db, admin) });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  return agent;
}

/** A new admin, signed in with both factors: `{ admin, agent }`. */
export async function signInAdmin(
  app: Express,
  services: Services,
  db: Db,
  roles: Role[] = ['admin'],
): Promise<{ admin: TestAdmin; agent: Agent }> {
  const admin = await createAdmin(services, db, roles);
  return { admin, agent: await signInAdminAs(app, db, admin) };
}

/**
 * Runs `steps` with each sign-in form's POST answered to the browser only once the whole response
 * has arrived: express-session sends the redirect's headers before it has saved the session, and
 * a browser that follows them at once can arrive before its new session exists.
 */
export async function withWholeSignInResponses(page: Page, steps: () => Promise<void>): Promise<void> {
  const signIn = /\/staff\/sign-in(\/code)?(\?.*)?$/;
  await page.route(signIn, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const response = await route.fetch({ maxRedirects: 0 });
    return route.fulfill({ response });
  });
  try {
    await steps();
  } finally {
    await page.unroute(signIn);
  }
}

/**
 * Signs an admin in through the real forms in a browser (#field-email, #field-password, then
 * #field-code) and ends on `path`.
 */
export async function signInAdminInBrowser(
  page: Page,
  base: string,
  db: Db,
  admin: TestAdmin,
  path: string,
): Promise<void> {
  await withWholeSignInResponses(page, async () => {
    await page.goto(`${base}/staff/sign-in?next=${encodeURIComponent(path)}`);
    await page.fill('#field-email', admin.email);
    await page.fill('#field-password', admin.password);
    await Promise.all([page.waitForURL(/\/staff\/sign-in\/code/), page.click('main form button[type="submit"]')]);
    await page.fill('#field-code', await freshCode(db, admin));
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in')),
      page.click('main form button[type="submit"]'),
    ]);
  });
  const here = new URL(page.url());
  expect(here.pathname + here.search, 'signed in with two steps and on the page').to.equal(path);
}
