import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RAISED_LIMITS } from './bench.config.js';
import { downloadCsv } from './bench.csv.js';
import { interleaved, runLoads, type Pace } from './bench.measure.js';
import { runMixed } from './bench.mixed.js';
import { refreshStatistics } from './bench.timings.js';
import { prepare } from './bench.prepare.js';
import { buildApp, drained, startChild, stopChild, type Child } from './bench.process.js';
import { machine, printResults, writeResults, type ResultRow, type Results } from './bench.report.js';
import { BASELINE_NAMES, baselineLoad, scenarios, type BaselineKind } from './bench.scenarios.js';

// npm run bench                 the one measure of speed (issue #18 item 6). With DATABASE_URL: PostgreSQL,
//                               1,000,000 complaints (seeded once, reused by re-runs of the same size);
//                               without: embedded PGlite in a temporary folder, 20,000 complaints.
// npm run bench -- --quick      100,000 complaints on PostgreSQL, shorter runs (under 10 minutes)
// npm run bench -- --smoke      a few thousand complaints, one round of about a second: the targets are
//                               reported, not judged (CI); exits 1 only when something errs
// npm run bench -- --complaints N [--seconds S] [--only WORDS]  (only the scenarios whose name has WORDS)
//
// The app runs in a child process (bench.server.ts), each bare baseline in one of its own
// (bench.baseline.server.ts); this process makes the load and records every latency
// (bench.measure.ts). Each scenario runs at 8 and at 50 connections, in rounds interleaved with its
// baseline, judged on the medians; then a mixed load over two fresh instances (bench.mixed.ts).
// The statistics refresh and the deadline sweep are timed first (bench.prepare.ts). Results: a
// table, and bench/results.json. Exits 1 when a target is missed. Speed is measured here, never in
// a unit test.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    complaints: { type: 'string' },
    seconds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const mode: Results['mode'] = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const databaseUrl = process.env['DATABASE_URL'] || undefined;
const embedded = !databaseUrl;
const defaultSize = mode === 'smoke' ? 3_000 : embedded ? 20_000 : mode === 'quick' ? 100_000 : 1_000_000;
const complaints = Number(values.complaints ?? defaultSize);
const plan = {
  smoke: { seconds: 1, rounds: 1, warm: 0.5, drainMs: 5_000 },
  quick: { seconds: 3, rounds: 3, warm: 1, drainMs: 10_000 },
  full: { seconds: 10, rounds: 3, warm: 2, drainMs: 10_000 },
}[mode];
const seconds = Number(values.seconds ?? plan.seconds);
if (!Number.isInteger(complaints) || complaints < 1) throw new Error('--complaints must be a positive whole number');
if (!(seconds > 0)) throw new Error('--seconds must be positive');
const CONNECTIONS = [8, 50];

const started = new Date();
const dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-bench-'));
/** Every process this bench started, to stop at the end; and the servers among them that listen. */
const processes: ChildProcess[] = [];
const servers: Child[] = [];
const rows: ResultRow[] = [];
let postgres = embedded ? 'pglite' : 'PostgreSQL (not reached)';
const say = (line: string) =>
  process.stdout.write(`[${String(Math.round((Date.now() - started.getTime()) / 1000)).padStart(4)} s] ${line}\n`);
const mb = (n: number) => Math.round(n);
const errorsOf = (row: ResultRow) =>
  row.errors
    ? ` (${Object.entries(row.unexpected ?? {})
        .map(([status, n]) => `${n} × ${status}`)
        .join(', ')})`
    : '';

try {
  const prepared = await prepare({ dataDir, complaints, smoke: mode === 'smoke', databaseUrl });
  const { fixture } = prepared;
  postgres = prepared.postgres;
  rows.push(...prepared.rows);

  // PGlite's folder is one process's: each bare server with a database gets a copy of the same data.
  if (embedded) {
    for (const kind of ['lookup', 'filing']) {
      cpSync(path.join(dataDir, 'pglite'), path.join(dataDir, `pglite-${kind}`), { recursive: true });
    }
  }
  const track = (child: ChildProcess) => processes.push(child);
  const startApp = async (name: string) => {
    const child = await startChild(name, { built: 'bench.server.ts' }, { BENCH_DATA_DIR: dataDir }, track);
    servers.push(child);
    return child;
  };
  const startBaseline = async (kind: BaselineKind) => {
    const env = {
      BENCH_BASELINE: kind,
      BENCH_PGLITE_DIR: path.join(dataDir, `pglite-${kind}`),
      BENCH_ACCESS_KEY: fixture.accessKeyHex,
      BENCH_TEMPLATE_TRACKING: fixture.lookups[0]!.trackingNumber,
    };
    const child = await startChild(`baseline ${kind}`, { source: 'bench.baseline.server.ts' }, env, track);
    servers.push(child);
    return child;
  };
  say('Building the app as npm start does, and starting it and the bare baselines…');
  buildApp();
  const [app, ...bare] = await Promise.all([
    startApp('app'),
    startBaseline('html'),
    startBaseline('lookup'),
    startBaseline('filing'),
  ]);
  const baseOf = { html: bare[0]!.base, lookup: bare[1]!.base, filing: bare[2]!.base };
  // Before each run, every server started so far has finished what the last run left it.
  const drain = () =>
    drained(
      servers.map((c) => c.base),
      plan.drainMs,
    );
  const pace: Pace = { seconds, rounds: plan.rounds, drain };

  // The download first, on a fresh server, so its memory is the download's and not the load's.
  say(`Streaming the open-data CSV (${prepared.openDataRows.toLocaleString('en-US')} rows)…`);
  const csv = await downloadCsv(app.base, app.pid);
  const streamed = csv.status === 200 && csv.complete && csv.rows === prepared.openDataRows;
  const measured = { connections: null, reqPerSec: null, p50: null, p95: null, p99: null, baseline: null, ratio: null };
  rows.push(
    {
      name: `open data CSV, every row (${csv.megabytes.toFixed(1)} MB in ${(csv.ms / 1000).toFixed(1)} s)`,
      ...measured,
      errors: streamed ? 0 : 1,
      target: `all ${prepared.openDataRows.toLocaleString('en-US')} rows, streamed to the end`,
      met: streamed,
      value: csv.rows,
      unit: 'rows',
    },
    {
      name: `server RSS while streaming the CSV (${mb(csv.rssBefore)} MB before)`,
      ...measured,
      errors: 0,
      target: embedded ? 'none on PGlite (the database runs inside the server)' : '≤ 256 MB',
      met: embedded ? null : csv.rssPeak <= 256,
      value: mb(csv.rssPeak),
      unit: 'MB',
    },
  );

  const list = scenarios(fixture, embedded).filter((s) => !values.only || s.name.includes(values.only));
  say(`Warming up (${plan.warm} s a load at 8 connections)…`);
  for (const scenario of list) await runLoads([scenario.load(app.base)], 8, plan.warm, drain);
  for (const kind of ['html', 'lookup', 'filing'] as const) {
    await runLoads([baselineLoad(kind, baseOf[kind], fixture)], 8, plan.warm, drain);
  }

  say(`Measuring: ${plan.rounds} round(s) of ${seconds} s per load, interleaved with the baseline`);
  for (const scenario of list) {
    if (scenario.afterRefresh && databaseUrl) {
      const refreshed = await refreshStatistics(databaseUrl, dataDir);
      say(
        `  (the statistics refresh the app runs every 15 minutes first: ${refreshed.complaints} complaints, ${refreshed.ms} ms)`,
      );
    }
    for (const connections of CONNECTIONS) {
      const kind = scenario.baseline;
      const base = kind ? baselineLoad(kind, baseOf[kind], fixture) : undefined;
      const result = await interleaved([scenario.load(app.base)], base, connections, pace);
      const ratio = result.baseline ? result.scenario.reqPerSec / result.baseline.reqPerSec : null;
      const target = scenario.target(connections);
      const { operations: _operations, ...figures } = result.scenario;
      const row: ResultRow = {
        name: scenario.name,
        connections,
        ...figures,
        baseline: kind && result.baseline ? { name: BASELINE_NAMES[kind], reqPerSec: result.baseline.reqPerSec } : null,
        ratio,
        target: target.words,
        met: target.met({ p95: figures.p95, errors: figures.errors, ratio }),
      };
      rows.push(row);
      say(
        `  ${scenario.name} @${connections}: ${Math.round(row.reqPerSec!)} req/s, p95 ${row.p95?.toFixed(1)} ms, ` +
          `${row.errors} errors${errorsOf(row)}${ratio === null ? '' : `, ${ratio.toFixed(2)} × baseline`}`,
      );
    }
  }

  // Many instances: on PostgreSQL two app processes share the database and the load; PGlite has
  // one. Fresh ones, so each one's memory is the mixed load's: the first app is stopped first.
  if (!values.only) {
    servers.splice(servers.indexOf(app), 1);
    await stopChild(app.process);
    const apps = await Promise.all((embedded ? ['app 2'] : ['app 2', 'app 3']).map(startApp));
    say(`Mixed load over ${apps.length} instance(s)…`);
    const mixed = await runMixed({ fixture, apps, pace, warmSeconds: plan.warm, embedded });
    say(
      `  ${mixed[0]!.name}: ${Math.round(mixed[0]!.reqPerSec!)} req/s, ${mixed[0]!.errors} errors${errorsOf(mixed[0]!)}`,
    );
    rows.push(...mixed);
  }
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(
    `\nThe bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
} finally {
  await Promise.all(processes.map(stopChild));
  rmSync(dataDir, { recursive: true, force: true });
}

if (mode === 'smoke') for (const row of rows) row.met = null;
const results: Results = {
  machine: machine(postgres),
  complaints,
  mode,
  limitsRaised: true,
  raisedLimits: { ...RAISED_LIMITS },
  startedAt: started.toISOString(),
  seconds: Math.round((Date.now() - started.getTime()) / 1000),
  scenarios: rows,
};
printResults(results);
say(`Written to ${path.relative(ROOT, writeResults(ROOT, results))} in ${results.seconds} s`);
const erred = rows.some((r) => (r.errors ?? 0) > 0);
const missed = rows.filter((r) => r.met === false);
if (mode === 'smoke' && erred) process.exitCode = 1;
if (missed.length) {
  say(`${missed.length} target(s) missed`);
  process.exitCode = 1;
}
