import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../server/platform/db/database.js';
import { migrateToLatest } from '../server/platform/db/migrator.js';
import { createLogger } from '../server/platform/logger.js';
import type { ResultRow } from './bench.report.js';
import { makeFixture, seed, type Fixture } from './bench.seed.js';
import { CHANGED_CASES, DUE_CLOCKS, servicesOver, siblingSweep, timeRefresh, timeSweep } from './bench.timings.js';

// Before any server starts: the database migrated, seeded (or reused), the statistics refresh and
// the deadline sweep timed on the app's services, and the fixture the loads need. The database is
// closed at the end: PGlite's folder can be open in one process only, and the servers open it next.

export interface Prepared {
  fixture: Fixture;
  rows: ResultRow[];
  openDataRows: number;
  postgres: string;
}

const count = (n: number) => n.toLocaleString('en-US');

export async function prepare(options: {
  dataDir: string;
  complaints: number;
  smoke: boolean;
  databaseUrl: string | undefined;
}): Promise<Prepared> {
  const { dataDir, complaints, smoke, databaseUrl } = options;
  const embedded = !databaseUrl;
  const database = await openDatabase({
    databaseUrl,
    pgliteDir: path.join(dataDir, 'pglite'),
    logger: createLogger('silent'),
  });
  const rows: ResultRow[] = [];
  const measure = (row: Omit<ResultRow, 'connections' | 'reqPerSec' | 'p50' | 'p95' | 'p99'>) =>
    rows.push({ connections: null, reqPerSec: null, p50: null, p95: null, p99: null, ...row });
  try {
    const db = database.db;
    await migrateToLatest(db);
    const { config, svc } = servicesOver(database, dataDir);
    await svc.demo.ensureDemoData('bench-password-not-for-use');
    process.stdout.write(`Seeding ${count(complaints)} complaints (${embedded ? 'PGlite' : 'PostgreSQL'})…\n`);
    const seeded = await seed(db, svc, complaints);
    measure({
      name: seeded.reused ? `seed ${count(complaints)} complaints: reused` : `seed ${count(complaints)} complaints`,
      errors: 0,
      baseline: null,
      ratio: null,
      target: 'none (reported)',
      met: null,
      value: seeded.ms / 1000,
      unit: 's',
    });
    // Up to date first (the first refresh of a database counts every case): the timed one is a day's.
    await svc.statistics.refresh();

    process.stdout.write(`Timing the statistics refresh after ${count(CHANGED_CASES)} changed cases…\n`);
    const refreshMs = await timeRefresh(db, svc);
    measure({
      name: `statistics refresh after ${count(CHANGED_CASES)} changed cases`,
      errors: 0,
      baseline: null,
      ratio: null,
      target: embedded ? 'none on PGlite' : '≤ 5 s (at 1M)',
      met: embedded ? null : refreshMs <= 5_000,
      value: refreshMs,
      unit: 'ms',
    });

    // A smoke run checks the sweep works with a tenth of the clocks due (it is not judged).
    const due = smoke ? DUE_CLOCKS / 10 : DUE_CLOCKS;
    process.stdout.write(`Timing the deadline sweep with ${count(due)} clocks due…\n`);
    const sweep = await timeSweep(db, svc, due);
    // The same sweep at a tenth of the size, on a sibling database (PostgreSQL, not in smoke runs).
    const tenth = Math.round(complaints / 10);
    const small = embedded || smoke ? undefined : await siblingSweep(db, databaseUrl, tenth);
    const ratio = small ? sweep.ms / small.ms : null;
    measure({
      name: `deadline sweep (median of 3), ${count(sweep.handled)} due among ${count(sweep.running)} running clocks`,
      errors: Math.max(0, due - sweep.handled),
      baseline: small
        ? {
            name: `same sweep at ${count(tenth)} complaints (${count(small.running)} running)`,
            reqPerSec: null,
            value: small.ms,
          }
        : null,
      ratio,
      target: embedded ? 'none on PGlite' : '≤ 100 ms, and ≤ 1.5 × the same sweep at a tenth of the size',
      met: embedded || !small ? null : sweep.handled >= due && sweep.ms <= 100 && ratio! <= 1.5,
      value: sweep.ms,
      unit: 'ms',
    });

    const fixture = await makeFixture(db, svc, config);
    const openDataRows = (await svc.openData.dictionary('en')).rows;
    const version = embedded
      ? undefined
      : (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v;
    return { fixture, rows, openDataRows, postgres: version ? `PostgreSQL ${version}` : 'pglite' };
  } finally {
    await database.close();
  }
}
