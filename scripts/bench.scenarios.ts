import { randomInt, randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import type { Load, Step } from './bench.measure.js';
import { filingBody, type Fixture } from './bench.seed.js';

// What the bench asks of the app, what it asks of the bare baselines, and the targets (issue #18
// item 6). A latency target is judged at 8 connections, a ratio to the baseline at 50; every row
// is held to no errors. On PGlite only the embedded targets apply (the others are set at a million
// complaints on PostgreSQL): the API status lookup and the filing at half their bare handler.

export type BaselineKind = 'html' | 'lookup' | 'filing';

export const BASELINE_NAMES: Record<BaselineKind, string> = {
  html: 'bare Express, a fixed HTML page',
  lookup: 'bare Express + Kysely: indexed read + HMAC check',
  filing: 'bare Express + Kysely: chained insert (rate counter, complaint, allegation, audit row under the lock)',
};

export interface Judged {
  p95: number;
  errors: number;
  ratio: number | null;
}

export interface Target {
  words: string;
  met(row: Judged): boolean;
}

export interface Scenario {
  name: string;
  /** The load against one app instance. */
  load(base: string): Load;
  baseline: BaselineKind | undefined;
  target(connections: number): Target;
  /**
   * Measured after the statistics refresh the app runs every 15 minutes: the disparity view counts
   * the complaints filed since the last refresh one by one, and the filing scenario files in a
   * minute far more than an agency does in 15 (PostgreSQL only: PGlite's folder is the app's).
   */
  afterRefresh?: boolean;
}

const noErrors: Target = { words: 'no errors', met: (r) => r.errors === 0 };
const ratioOf = (least: number, of: string): Target => ({
  words: `≥ ${least} × ${of}'s req/s, no errors`,
  met: (r) => r.errors === 0 && r.ratio !== null && r.ratio >= least,
});
const p95Of = (ms: number, scale: string): Target => ({
  words: `p95 ≤ ${ms} ms (${scale}), no errors`,
  met: (r) => r.errors === 0 && r.p95 <= ms,
});
/** One target at 8 connections, another at 50. */
const at = (eight: Target, fifty: Target) => (connections: number) => (connections >= 50 ? fifty : eight);

const json = { 'content-type': 'application/json' };
const byte = () => randomInt(256);

/**
 * Residents look up their own cases, from their own addresses: each lookup asks for one of the
 * fixture's complaints at random, from a random address the app reads from X-Forwarded-For (the
 * bench stands in for the TLS proxy, TRUST_PROXY=loopback). One number asked 50 times at once from
 * one address would only measure the guessing throttle (R7), which slows and then locks that pair.
 */
function lookupFrom(fixture: Fixture, encode: (lookup: Fixture['lookups'][number]) => string) {
  return (request: autocannon.Request): autocannon.Request => ({
    ...request,
    body: encode(fixture.lookups[randomInt(fixture.lookups.length)]!),
    headers: { ...request.headers, 'x-forwarded-for': `10.${byte()}.${byte()}.${byte()}` },
  });
}

/** Each filing from another address (the receipt email is limited per address); one client, as raised. */
function filingFrom(fixture: Fixture) {
  return (request: autocannon.Request): autocannon.Request => ({
    ...request,
    body: JSON.stringify(filingBody(fixture.district, fixture.category, `resident-${randomUUID()}@example.org`)),
  });
}

export function steps(fixture: Fixture) {
  // The cookie is added by the scenario: a session of its own for each load (staffPage below).
  const staff = { 'x-forwarded-proto': 'https' };
  const bearer = { authorization: `Bearer ${fixture.bearer}` };
  const form = (l: Fixture['lookups'][number]) => new URLSearchParams(l).toString();
  const asJson = (l: Fixture['lookups'][number]) => JSON.stringify(l);
  return {
    webLookup: [
      {
        method: 'POST',
        path: '/status',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        vary: lookupFrom(fixture, form),
        expect: 303,
        keepCookies: true,
      },
      { method: 'GET', path: '/status/case', expect: 200, sendCookies: true },
    ],
    apiLookup: {
      method: 'POST',
      path: '/api/v1/status',
      headers: json,
      vary: lookupFrom(fixture, asJson),
      expect: 200,
    },
    filing: { method: 'POST', path: '/api/v1/complaints', headers: json, vary: filingFrom(fixture), expect: 201 },
    queue: { method: 'GET', path: '/api/v1/cases', headers: bearer, expect: 200 },
    queueFiltered: {
      method: 'GET',
      path: `/api/v1/cases?overdue=true&district=${fixture.district}`,
      headers: bearer,
      expect: 200,
    },
    dashboard: { method: 'GET', path: '/dashboard', expect: 200 },
    flags: { method: 'GET', path: '/staff/early-intervention', headers: staff, expect: 200 },
    disparity: { method: 'GET', path: '/staff/early-intervention/disparity', headers: staff, expect: 200 },
  } satisfies Record<string, Step | Step[]>;
}

/** The same requests (the same random cases, the same bodies) to the bare servers. */
export function baselineLoad(kind: BaselineKind, base: string, fixture: Fixture): Load {
  const step: Record<BaselineKind, Step> = {
    html: { method: 'GET', path: '/page', expect: 200 },
    lookup: { method: 'POST', path: '/status', headers: json, vary: lookupFrom(fixture, JSON.stringify), expect: 200 },
    filing: { method: 'POST', path: '/complaints', headers: json, vary: filingFrom(fixture), expect: 201 },
  };
  return { base, steps: [step[kind]], perOp: 1 };
}

export function scenarios(fixture: Fixture, embedded: boolean): Scenario[] {
  const s = steps(fixture);
  const one = (step: Step) => (base: string) => ({ base, steps: [step], perOp: 1 });
  const pg = (target: (connections: number) => Target) => (embedded ? () => noErrors : target);
  const bareLookup = 'the bare lookup';
  // Each load of a staff page signs in with a session of its own. The app ends a session when
  // loading it fails (express-session's unset: 'destroy' after a store error, e.g. a database pool
  // timeout under overload): the sign-outs count as errors of the load that caused them, and the
  // next load starts signed in.
  let sessions = 0;
  const staffPage = (step: Step) => (base: string) => {
    const cookie = fixture.staffCookies[sessions++ % fixture.staffCookies.length]!;
    return one({ ...step, headers: { ...step.headers, cookie } })(base);
  };
  return [
    {
      name: 'status lookup, web (POST + the page it leads to, one lookup)',
      load: (base) => ({ base, steps: s.webLookup, perOp: 2 }),
      baseline: 'lookup',
      target: pg(at(noErrors, ratioOf(0.4, bareLookup))),
    },
    {
      name: 'status lookup, API',
      load: one(s.apiLookup),
      baseline: 'lookup',
      target: at(noErrors, ratioOf(embedded ? 0.5 : 0.75, bareLookup)),
    },
    {
      name: 'filing, API (complaint, allegation, clocks, audit, outbox)',
      load: one(s.filing),
      baseline: 'filing',
      target: at(noErrors, ratioOf(embedded ? 0.5 : 0.6, 'the bare chained insert')),
    },
    {
      name: "supervisor's queue, first page (API)",
      load: one(s.queue),
      baseline: 'lookup',
      target: pg(at(p95Of(100, 'at 1M'), ratioOf(0.3, bareLookup))),
    },
    {
      name: "supervisor's queue, overdue + district (API)",
      load: one(s.queueFiltered),
      baseline: 'lookup',
      target: pg(at(p95Of(100, 'at 1M'), ratioOf(0.3, bareLookup))),
    },
    {
      name: 'public dashboard',
      load: one(s.dashboard),
      baseline: 'html',
      target: pg(at(p95Of(50, 'at 1M'), noErrors)),
    },
    {
      name: 'early intervention, flags (staff page)',
      load: staffPage(s.flags),
      baseline: 'html',
      target: pg(at(p95Of(200, 'at 1M'), noErrors)),
    },
    {
      name: 'early intervention, disparity view (staff page)',
      load: staffPage(s.disparity),
      baseline: 'html',
      afterRefresh: true,
      target: pg(at(p95Of(500, 'at 1M'), noErrors)),
    },
  ];
}

/** The mixed load against one instance: lookups, filings, queue pages and dashboard hits in turn. */
export function mixedLoad(fixture: Fixture, base: string): Load {
  const s = steps(fixture);
  return { base, steps: [s.apiLookup, s.filing, s.apiLookup, s.queue, s.dashboard], perOp: 1 };
}
