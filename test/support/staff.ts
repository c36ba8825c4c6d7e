import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../server/platform/db/database.js';
import { insertUser } from '../../server/features/accounts/user.repository.js';
import type { Role } from '../../server/domain/vocabulary.js';
import { hashPassword } from '../../server/platform/security/password.js';
import { csrfOf, type Agent } from './resident.js';

export const STAFF_PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
let counter = 0;

export interface TestStaff {
  id: string;
  email: string;
  password: string;
  roles: Role[];
}

/** A member of staff with these roles (the password hash is made once per process: scrypt is slow on purpose). */
export async function createStaff(
  db: Db,
  roles: Role[],
  options: { email?: string; name?: string } = {},
): Promise<TestStaff> {
  hashed ??= hashPassword(STAFF_PASSWORD);
  counter += 1;
  const email = options.email ?? `${roles.join('-') || 'none'}-${counter}-${Date.now()}@example.org`;
  const id = await insertUser(
    db,
    { email, display_name: options.name ?? `Staff ${counter}`, password_hash: await hashed },
    roles,
  );
  return { id, email, password: STAFF_PASSWORD, roles };
}

/** The sign-in form's token for this agent (getting the page starts its session). */
export async function signInPage(agent: Agent): Promise<string> {
  const page = await agent.get('/staff/sign-in').expect(200);
  return csrfOf(page.text);
}

/** Signs the agent in with a password (users without TOTP); fails the test if refused. */
export async function signIn(app: Express, staff: { email: string; password: string }): Promise<Agent> {
  const agent = request.agent(app);
  const token = await signInPage(agent);
  const res = await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ _csrf: token, email: staff.email, password: staff.password });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  return agent;
}

/** The form token of a staff page the agent can see. */
export async function tokenFrom(agent: Agent, path = '/staff/account'): Promise<string> {
  const page = await agent.get(path).expect(200);
  return csrfOf(page.text);
}

export function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('oc_staff='))?.split(';')[0];
}
