import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { NAVIGATION, PERMISSIONS, may, needsSecondFactor, rolesWith } from '../../server/domain/policy.js';
import { ROLES } from '../../server/domain/vocabulary.js';
import { EVENT_PARTIES } from '../../workflows/complaint.permissions.js';

const SERVER = path.resolve(import.meta.dirname, '../../server');

/** Where a role's name may be written: the policy and the vocabulary; the demo's seed accounts are data. */
const ALLOWED = [/^domain\/(policy|vocabulary)\.ts$/, /^demo\//];

/** The shapes a role check takes in code: a comparison, a membership test, a list of roles, a SQL filter. */
const ROLE = `'(?:${ROLES.join('|')})'`;
const ROLE_CHECKS = [
  new RegExp(`(?:includes|has|some|filter|Role|Roles?)\\(\\s*(?:[\\w.]+,\\s*)?${ROLE}`),
  new RegExp(`roles?\\s*[!=]==?\\s*${ROLE}`),
  new RegExp(`'r(?:ole)?\\.role',\\s*'='`),
  new RegExp(`\\[\\s*${ROLE}\\s*,\\s*${ROLE}`),
  new RegExp(`roles:\\s*\\[\\s*${ROLE}`),
];

function sources(dir: string, extension = '.ts'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full, extension);
    return entry.name.endsWith(extension) ? [full] : [];
  });
}

describe('the access policy (#16 item 1)', () => {
  it('is the one place roles are named in a check: no route, service or repository writes a role of its own', () => {
    const found: string[] = [];
    for (const file of sources(SERVER)) {
      const relative = path.relative(SERVER, file).split(path.sep).join('/');
      if (ALLOWED.some((allowed) => allowed.test(relative))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (ROLE_CHECKS.some((check) => check.test(line))) found.push(`${relative}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(found).to.deep.equal([]);
  });

  it('keeps role names out of the templates too: a page asks the policy, through what the route gives it', () => {
    const views = path.resolve(import.meta.dirname, '../../views');
    const found = sources(views, '.njk').filter((file) =>
      new RegExp(`staff\\.roles|${ROLE}\\s+in\\s`).test(readFileSync(file, 'utf8')),
    );
    expect(found.map((file) => path.relative(views, file))).to.deep.equal([]);
  });

  it('names only real roles', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const role of roles) expect(ROLES).to.include(role);
  });

  it('answers by any of the roles held, and by the viewer as well as a list of roles', () => {
    expect(may(['investigator'], 'officers.edit')).to.equal(false);
    expect(may(['investigator', 'intake'], 'officers.edit')).to.equal(true);
    expect(may({ userId: 'u', roles: ['board'] }, 'board.vote')).to.equal(true);
    expect(may({ userId: 'u', roles: [] }, 'cases.read')).to.equal(false);
    expect(rolesWith('cases.investigate')).to.deep.equal(['investigator']);
  });

  it('lists the new cases for exactly those the workflow lets begin triage', () => {
    expect([...rolesWith('cases.triage')].sort()).to.deep.equal([...EVENT_PARTIES.BEGIN_TRIAGE].sort());
  });

  it('keeps administration behind a second factor, and out of case work', () => {
    expect(needsSecondFactor('admin')).to.equal(true);
    expect(ROLES.filter((role) => role !== 'admin').some(needsSecondFactor)).to.equal(false);
    expect(may(['admin'], 'cases.read')).to.equal(false);
    expect(may(['admin'], 'admin.use')).to.equal(true);
  });

  it('draws the staff menu from the policy: everyone has their account, only admins the administration', () => {
    const menu = (roles: Parameters<typeof may>[0]) =>
      NAVIGATION.filter((item) => !item.permission || may(roles, item.permission)).map((item) => item.key);
    expect(menu(['board'])).to.deep.equal(['cases', 'board', 'account']);
    expect(menu(['intake'])).to.deep.equal(['cases', 'officers', 'account']);
    expect(menu(['supervisor'])).to.deep.equal([
      'cases',
      'officers',
      'earlyIntervention',
      'board',
      'responses',
      'recommendations',
      'releases',
      'account',
    ]);
    expect(menu(['admin'])).to.deep.equal(['board', 'responses', 'recommendations', 'releases', 'admin', 'account']);
    // No usable role (an admin before two-step sign-in, or a user with none): still their account.
    expect(menu([])).to.deep.equal(['account']);
  });
});
