import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApp } from '../server/app.js';
import { openDatabase } from '../server/platform/db/database.js';
import { migrateToLatest } from '../server/platform/db/migrator.js';
import { createTranslator } from '../server/platform/i18n.js';
import { createLogger } from '../server/platform/logger.js';
import { services as buildServices } from '../server/compose.js';
import { benchConfig } from './bench.config.js';
import { runTransparencyBench } from './bench.transparency.js';

// npm run bench                     – embedded PGlite in a temporary folder, 20,000 background complaints
// npm run bench -- --complaints N   – as many background complaints as wanted (1000000 for the scale target)
// DATABASE_URL=postgres://… npm run bench – the same against a PostgreSQL server (an empty database)
// npm run bench -- --suite transparency – the dashboard and open-data targets at 1,000,000 complaints
//   (scripts/bench.transparency.ts; --complaints changes the size); --suite all runs both suites
//
// Each scenario runs against the real app over HTTP with autocannon and is held to a target;
// the script exits 1 when one is missed. Speed is measured here, never in a unit test.

const { values } = parseArgs({
  options: {
    complaints: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    suite: { type: 'string' },
  },
});
const seconds = Number(values.seconds ?? 10);
const connections = Number(values.connections ?? 10);
const suite = values.suite ?? 'app';
if (!['app', 'transparency', 'all'].includes(suite)) throw new Error('--suite must be app, transparency or all');

/** The queue sorts every open case the viewer may see by its next due date on each request. */
const QUEUE_P97 = 250;
const QUEUE_RPS = 40;

type Step = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };

interface Scenario {
  name: string;
  request: Step;
  /**
   * The page the request redirects to, asked next by the same virtual user with the cookies the
   * first answer set (a web status lookup: the POST, then the case page its 303 leads to, #17).
   * Then one operation is both: minRps counts pairs, and maxP97 holds twice the p97.5 of all the
   * answers, a bound on the pair's p95 (as many of each kind: at most 5% of pairs hold an answer
   * slower than the p97.5 of all of them).
   */
  redirectedTo?: Step;
  /** The slowest answer allowed at the 97.5th percentile (autocannon's nearest to p95), in ms. */
  maxP97: number;
  minRps: number;
}

/** The cookie jar of each virtual user: autocannon's worker loads these files (CommonJS) by path. */
const JAR = {
  keep: fileURLToPath(new URL('./bench.jar.keep.cts', import.meta.url)),
  send: fileURLToPath(new URL('./bench.jar.send.cts', import.meta.url)),
};

/** Each answer as expected: 2xx, or for a redirecting scenario one 303 per page that follows it. */
function failures(scenario: Scenario, result: autocannon.Result): number {
  const broken = result.errors + result.timeouts + result['1xx'] + result['4xx'] + result['5xx'];
  if (!scenario.redirectedTo) return broken + result['3xx'];
  // A client stopped between its POST and its GET leaves one redirect over; a GET without the
  // pass would be a redirect too, and is counted here.
  const unfollowed = result['3xx'] - result['2xx'];
  const followed = result['2xx'] > 0 && unfollowed >= 0 && unfollowed <= connections;
  return broken + (followed ? 0 : Math.max(1, Math.abs(unfollowed)));
}

/** The app suite: resident and staff requests over the demo agency and `complaints` background cases. */
async function appBench(complaints: number): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-bench-'));
  const config = benchConfig(dataDir);
  const logger = createLogger('silent');
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(dataDir, 'pglite'),
    logger,
  });

  try {
    await migrateToLatest(database.db);
    const svc = buildServices({ config, database, translator: createTranslator(), logger });
    await svc.demo.ensureDemoData('bench-password-not-for-use');
    process.stdout.write(`Loading ${complaints} background complaints…\n`);
    await svc.seed.loadSyntheticComplaints(complaints);
    const app = createApp({ config, logger, translator: createTranslator(), services: svc });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // One real complaint, filed through the API, to look up with its own access code.
    const filed = await fetch(`${base}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'en',
        narrative: 'Benchmark complaint.',
        categories: [],
        officers: [],
        witnesses: [],
        about: { filing: 'anonymous' },
        consent: true,
        truthful: true,
      }),
    });
    const receipt = (await filed.json()) as { trackingNumber: string; accessCode: string };
    const lookup = new URLSearchParams({ trackingNumber: receipt.trackingNumber, accessCode: receipt.accessCode });

    // A supervisor's API token: the case queue over every background complaint.
    const ids = await database.db.selectFrom('users').select(['id', 'email']).execute();
    const idOf = (email: string) => ids.find((u) => u.email === email)!.id;
    // The admin authorises it; the supervisor collects it (only the holder sees the secret).
    const { id: tokenId } = await svc.apiTokens.issue(idOf('admin@example.org'), {
      userId: idOf('supervisor@example.org'),
      name: 'bench',
    });
    const collected = await svc.apiTokens.collect(idOf('supervisor@example.org'), tokenId);
    if (collected.outcome !== 'collected') throw new Error(`could not collect the bench token: ${collected.outcome}`);
    const bearer = { authorization: `Bearer ${collected.token}` };

    const scenarios: Scenario[] = [
      { name: 'home page (baseline)', request: { method: 'GET', path: '/' }, maxP97: 50, minRps: 500 },
      {
        name: 'status lookup, right code (form: the POST and the case page it redirects to)',
        request: {
          method: 'POST',
          path: '/status',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: lookup.toString(),
        },
        redirectedTo: { method: 'GET', path: '/status/case' },
        maxP97: 50,
        minRps: 300,
      },
      {
        name: 'status lookup, right code (API)',
        request: {
          method: 'POST',
          path: '/api/v1/status',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(Object.fromEntries(lookup)),
        },
        maxP97: 50,
        minRps: 300,
      },
      {
        name: "case queue, a supervisor's first page (API)",
        request: { method: 'GET', path: '/api/v1/cases', headers: bearer },
        maxP97: QUEUE_P97,
        minRps: QUEUE_RPS,
      },
      {
        name: 'case queue, overdue in one district (API)',
        request: { method: 'GET', path: '/api/v1/cases?overdue=true&district=north', headers: bearer },
        maxP97: QUEUE_P97,
        minRps: QUEUE_RPS,
      },
      {
        name: 'case queue, by tracking number (API)',
        request: { method: 'GET', path: `/api/v1/cases?trackingNumber=${receipt.trackingNumber}`, headers: bearer },
        maxP97: 50,
        minRps: 300,
      },
    ];

    let missed = 0;
    process.stdout.write(`\n${connections} connections, ${seconds} s each, ${complaints} background complaints\n`);
    for (const scenario of scenarios) {
      const result = await autocannon({
        url: base,
        // The load is made in a worker thread, so it does not share the app's event loop.
        workers: 1,
        connections,
        duration: seconds,
        requests: scenario.redirectedTo
          ? [
              { ...scenario.request, onResponse: JAR.keep },
              { ...scenario.redirectedTo, setupRequest: JAR.send },
            ]
          : [scenario.request],
      });
      const bad = failures(scenario, result);
      const steps = scenario.redirectedTo ? 2 : 1;
      const perSecond = result.requests.average / steps;
      const p97 = result.latency.p97_5 * steps;
      const ok = p97 <= scenario.maxP97 && perSecond >= scenario.minRps && bad === 0;
      if (!ok) missed += 1;
      const [unit, latency] = steps === 1 ? ['req/s', 'p97.5'] : ['lookups/s', 'p95 of a lookup (POST + GET)'];
      process.stdout.write(
        `${ok ? 'PASS' : 'FAIL'}  ${scenario.name}: ${Math.round(perSecond)} ${unit}` +
          `${steps === 1 ? '' : ` (${Math.round(result.requests.average)} req/s, ${latency} ≤ ${p97} ms)`}, ` +
          `p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms` +
          `${bad ? `, ${bad} failed requests` : ''} (target ${latency} ≤ ${scenario.maxP97} ms, ≥ ${scenario.minRps} ${unit})\n`,
      );
    }
    const memory = process.memoryUsage();
    process.stdout.write(`rss ${Math.round(memory.rss / 1048576)} MB\n`);
    server.closeAllConnections();
    server.close();
    return missed === 0;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let passed = true;
if (suite !== 'transparency') passed = (await appBench(Number(values.complaints ?? 20_000))) && passed;
if (suite !== 'app') {
  const complaints = Number(values.complaints ?? 1_000_000);
  passed = (await runTransparencyBench({ complaints, seconds, connections })) && passed;
}
process.exitCode = passed ? 0 : 1;
