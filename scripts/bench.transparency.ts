import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../server/platform/db/database.js';
import { migrateToLatest } from '../server/platform/db/migrator.js';
import { createTranslator } from '../server/platform/i18n.js';
import { createLogger } from '../server/platform/logger.js';
import { services as buildServices } from '../server/compose.js';
import { seedTemplates } from '../server/demo/seed.service.js';
import { benchConfig } from './bench.config.js';

// The transparency targets at scale (issue #7): 1,000,000 complaints seeded straight into the
// tables, the statistics refresh timed, the dashboard held to p95 ≤ 50 ms, and the open-data CSV
// streamed in full while the server's memory stays under 256 MB.
//
// npm run bench -- --suite transparency [--complaints N] [--seconds S] [--connections C]
// DATABASE_URL=postgres://…/<database> npm run bench -- --suite transparency
//
// The server runs in a child process (scripts/bench.server.ts), so its resident memory is its own:
// read from /proc/<pid>/status every 100 ms while the CSV streams. With PGlite the database lives
// inside that process too, so its memory counts against the server's.

const SCRIPTS_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(SCRIPTS_DIR, '..');
const TRACKING_PREFIX = 'BN-';
const BATCH = 100_000;
const PAGE_P95_MS = 50;
const RSS_LIMIT_MB = 256;

export interface TransparencyBenchOptions {
  complaints: number;
  seconds: number;
  connections: number;
}

interface Line {
  target: string;
  result: string;
  verdict: 'PASS' | 'FAIL' | 'INFO' | 'SKIP';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Inserts complaints numbered from..to (tracking numbers BN-00000001…), each with 1 or 2
 * allegations (≈1.3 on average), over the last four years, across every district and category;
 * closed ones with closed_at and findings; an investigation clock for those investigated; a survey
 * answer for some closed ones. One set-based statement per batch: PGlite and PostgreSQL alike.
 */
async function seedBatch(
  db: Db,
  from: number,
  to: number,
  codes: { districts: string[]; categories: string[] },
): Promise<{ complaints: number; allegations: number }> {
  const templates = JSON.stringify(seedTemplates());
  const result = await sql<{ complaints: number; allegations: number }>`
    with tpl as (
      select t.i::int as i, t.v from jsonb_array_elements(${templates}::jsonb) with ordinality as t(v, i)
    ),
    src as (
      select g, now() - random() * interval '1461 days' as received,
          1 + floor(random() * (select count(*) from tpl))::int as pick,
          random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
        from generate_series(${from}::int, ${to}::int) as g
    ),
    made as (
      insert into complaints (tracking_number, access_code_hash, snapshot, machine_version, stage, state, language,
                              channel, anonymous, narrative, district, received_at, stage_changed_at, closed_at,
                              outcome)
      select ${TRACKING_PREFIX} || lpad(s.g::text, 8, '0'), 'synthetic:not-a-valid-code',
          t.v -> 'snapshot', (t.v ->> 'machineVersion')::int, t.v ->> 'stage', t.v ->> 'state',
          case when s.r1 < 0.22 then 'es' else 'en' end,
          (array['web', 'web', 'web', 'api', 'phone', 'email', 'walk_in', 'mail'])[1 + floor(s.r2 * 8)::int],
          s.r3 < 0.12,
          'Synthetic complaint generated for the transparency benchmark.',
          case when s.r4 < 0.04 then null
               else (${codes.districts}::text[])[1 + floor(s.r5 * ${codes.districts.length}::int)::int] end,
          s.received, s.received,
          case when (t.v ->> 'closed')::boolean
               then least(now(), s.received + (1 + floor(random() * random() * 540)) * interval '1 day') end,
          t.v ->> 'outcome'
        from src s join tpl t on t.i = s.pick
      returning id, received_at, closed_at, outcome, stage
    ),
    alleged as (
      insert into allegations (complaint_id, category, finding, decided_at)
      select m.id, (${codes.categories}::text[])[1 + floor(random() * ${codes.categories.length}::int)::int],
          case m.outcome
            when 'mediated' then 'mediated'
            when 'withdrawn' then 'withdrawn'
            when 'decided' then (array['sustained', 'not_sustained', 'not_sustained', 'exonerated', 'exonerated',
                                       'unfounded', 'unfounded', 'unfounded', 'policy_failure', 'officer_unidentified'
                                      ])[1 + floor(random() * 10)::int]
          end,
          case when m.outcome in ('mediated', 'withdrawn', 'decided') then coalesce(m.closed_at, now()) end
        from made m
        cross join lateral generate_series(1, 1 + (random() < 0.3 and m.id is not null)::int) as n
      returning 1
    ),
    clocks as (
      insert into deadlines (complaint_id, kind, starts_at, due_at, status, completed_at)
      select m.id, 'investigation', m.received_at, m.received_at + interval '180 days',
          case when m.closed_at is null then 'open'
               when m.closed_at <= m.received_at + interval '180 days' then 'met' else 'breached' end,
          m.closed_at
        from made m
        where m.outcome = 'decided' or m.stage in ('investigation', 'boardReview', 'disposition')
      returning 1
    ),
    answers as (
      insert into surveys (complaint_id, token_hash, language, sent_at, answered_at, respect, understood, informed,
                           explained, trust)
      select m.id, 'bench:' || m.id::text, 'en', m.closed_at, least(now(), m.closed_at + interval '3 days'),
          1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int,
          1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int
        from made m
        where m.closed_at is not null and random() < 0.15
      returning 1
    )
    select (select count(*) from made)::int as complaints, (select count(*) from alleged)::int as allegations,
        (select count(*) from clocks)::int as clocks, (select count(*) from answers)::int as answers
  `.execute(db);
  return result.rows[0] ?? { complaints: 0, allegations: 0 };
}

/** Seeds the bench's complaints unless exactly that many are already there (re-runs on PostgreSQL). */
export async function seed(db: Db, target: number): Promise<{ ms: number; complaints: number; reused: boolean }> {
  const started = Date.now();
  const existing = await sql<{ n: number }>`
    select count(*)::int as n from complaints where tracking_number like ${`${TRACKING_PREFIX}%`}
  `.execute(db);
  if (existing.rows[0]?.n === target) return { ms: Date.now() - started, complaints: target, reused: true };
  await sql`delete from complaints where tracking_number like ${`${TRACKING_PREFIX}%`}`.execute(db);
  const districts = (await db.selectFrom('districts').select('code').where('active', '=', true).execute()).map(
    (d) => d.code,
  );
  const categories = (
    await db.selectFrom('allegation_categories').select('code').where('active', '=', true).execute()
  ).map((c) => c.code);
  let done = 0;
  let allegations = 0;
  while (done < target) {
    const to = Math.min(target, done + BATCH);
    const batch = await seedBatch(db, done + 1, to, { districts, categories });
    done = to;
    allegations += batch.allegations;
    process.stdout.write(
      `  seeded ${count(done)} complaints, ${count(allegations)} allegations (${seconds(Date.now() - started)})\n`,
    );
  }
  await sql`analyze`.execute(db);
  return { ms: Date.now() - started, complaints: done, reused: false };
}

/** The month 'YYYY-MM' in the agency's time zone, moved by `delta` months. */
function agencyMonth(timeZone: string, delta = 0): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(
    new Date(),
  );
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const shifted = new Date(Date.UTC(year, month - 1 + delta, 1));
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The server's resident memory in MB, from the kernel. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** The Node flags `npm start` gives the server (package.json), so the measured server runs as it would. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const args = [...startFlags(), '--import', 'tsx', path.join(SCRIPTS_DIR, 'bench.server.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Loads one page with autocannon; p95 computed exactly from every response time. */
async function measurePage(
  base: string,
  target: string,
  pathAndQuery: string,
  options: TransparencyBenchOptions,
  held = true,
): Promise<Line> {
  const probe = await fetch(`${base}${pathAndQuery}`);
  await probe.text();
  if (probe.status === 404) return { target, result: `${pathAndQuery}: 404, not built yet`, verdict: 'SKIP' };
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${base}${pathAndQuery}`, connections: options.connections, duration: options.seconds },
      (error: unknown, done: autocannon.Result) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const p95 = times.length ? times[Math.max(0, Math.ceil(0.95 * times.length) - 1)]! : Infinity;
  const bad = result.non2xx + result.errors + result.timeouts;
  const ok = p95 <= PAGE_P95_MS && bad === 0;
  return {
    target: held ? `${target} (p95 ≤ ${PAGE_P95_MS} ms)` : target,
    result:
      `p95 ${p95.toFixed(1)} ms (p50 ${result.latency.p50}, p97.5 ${result.latency.p97_5}, p99 ${result.latency.p99} ms), ` +
      `${Math.round(result.requests.average)} req/s, ${count(times.length)} requests` +
      (bad ? `, ${bad} failed (status ${probe.status})` : ''),
    verdict: held ? (ok ? 'PASS' : 'FAIL') : 'INFO',
  };
}

/** Streams the whole CSV, counting lines without keeping them, while sampling the server's memory. */
async function measureCsv(
  base: string,
  pid: number,
  expectedRows: number,
  minimumRows: number,
): Promise<{ stream: Line; memory: Line }> {
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // the server has gone; the download will fail and say so
    }
  }, 100);
  const started = Date.now();
  try {
    const { lines, bytes, complete, status } = await new Promise<{
      lines: number;
      bytes: number;
      complete: boolean;
      status: number;
    }>((resolve, reject) => {
      http
        .get(`${base}/data/complaints.csv`, (res) => {
          let lines = 0;
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
          });
          res.on('error', () => {});
          res.on('close', () => resolve({ lines, bytes, complete: res.complete, status: res.statusCode ?? 0 }));
        })
        .on('error', reject);
    });
    const ms = Date.now() - started;
    const rows = lines - 1;
    const ok = status === 200 && complete && rows === expectedRows && rows >= minimumRows;
    return {
      stream: {
        target: `GET /data/complaints.csv in full (≥ ${count(minimumRows)} rows, all of them)`,
        result:
          `${count(rows)} rows of ${count(expectedRows)}, ${(bytes / 1048576).toFixed(1)} MB in ${seconds(ms)} ` +
          `(${count(Math.round(rows / (ms / 1000)))} rows/s)${complete ? '' : ', cut off'}`,
        verdict: ok ? 'PASS' : 'FAIL',
      },
      memory: {
        target: `server RSS while streaming (≤ ${RSS_LIMIT_MB} MB)`,
        result: `peak ${peak.toFixed(0)} MB (before the download ${baseline.toFixed(0)} MB, growth ${(peak - baseline).toFixed(0)} MB)`,
        verdict: peak <= RSS_LIMIT_MB ? 'PASS' : 'FAIL',
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

function printTable(lines: Line[]): void {
  const width = Math.max(...lines.map((l) => l.target.length));
  process.stdout.write(`\n${'Target'.padEnd(width)}  Verdict  Result\n`);
  process.stdout.write(`${'-'.repeat(width)}  -------  ${'-'.repeat(60)}\n`);
  for (const l of lines) process.stdout.write(`${l.target.padEnd(width)}  ${l.verdict.padEnd(7)}  ${l.result}\n`);
  process.stdout.write('\n');
}

/** Runs the transparency targets; true when none was missed. */
export async function runTransparencyBench(options: TransparencyBenchOptions): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-bench-transparency-'));
  const config = benchConfig(dataDir);
  const logger = createLogger('silent');
  const lines: Line[] = [];
  const kind = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
  let child: ChildProcess | undefined;
  try {
    process.stdout.write(`Transparency bench on ${kind}: ${count(options.complaints)} complaints\n`);
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: path.join(dataDir, 'pglite'),
      logger,
    });
    let openDataRows = 0;
    try {
      await migrateToLatest(database.db);
      const svc = buildServices({ config, database, translator: createTranslator(), logger });
      await svc.demo.ensureDemoData('bench-password-not-for-use');
      const seeded = await seed(database.db, options.complaints);
      lines.push({
        target: `seed ${count(options.complaints)} complaints (${kind})`,
        result: seeded.reused ? 'already seeded: reused' : seconds(seeded.ms),
        verdict: 'INFO',
      });
      const refreshStarted = Date.now();
      await svc.statistics.refresh();
      const refreshMs = Date.now() - refreshStarted;
      openDataRows = await svc.openData.dictionary('en').then((d) => d.rows);
      const rollups = await sql<{ n: number }>`select count(*)::int as n from stats_rollup`.execute(database.db);
      lines.push({
        target: 'statistics refresh (rollups + open data)',
        result: `${seconds(refreshMs)}: ${count(rollups.rows[0]?.n ?? 0)} rollup rows, ${count(openDataRows)} open-data rows`,
        verdict: 'INFO',
      });
    } finally {
      // PGlite's folder can be open in one process only: the server opens it next.
      await database.close();
    }

    const server = await startServer(dataDir);
    child = server.child;
    // The download first, on a fresh server, so its memory is the download's and not the load test's.
    const { stream, memory } = await measureCsv(server.base, child.pid!, openDataRows, options.complaints);
    if (kind === 'PGlite' && memory.verdict === 'FAIL') {
      memory.result += '; PGlite runs inside the server process, so its memory counts: try DATABASE_URL';
    }
    lines.push(stream, memory);
    const to = agencyMonth(config.agencyTimeZone);
    const from = agencyMonth(config.agencyTimeZone, -11);
    lines.push(await measurePage(server.base, 'GET /dashboard (default range)', '/dashboard', options));
    lines.push(
      await measurePage(server.base, 'GET /dashboard, 12 months', `/dashboard?from=${from}&to=${to}`, options),
    );
    lines.push(await measurePage(server.base, 'GET /data (data dictionary, no target)', '/data', options, false));
    lines.push({
      target: 'server RSS after the load tests',
      result: `${rssMb(child.pid!).toFixed(0)} MB`,
      verdict: 'INFO',
    });
  } finally {
    if (child) await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  printTable(lines);
  return lines.every((l) => l.verdict !== 'FAIL');
}
