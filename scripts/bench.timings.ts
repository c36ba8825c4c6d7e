import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { services as buildServices, type Services } from '../server/compose.js';
import { openDatabase, type Db } from '../server/platform/db/database.js';
import { migrateToLatest } from '../server/platform/db/migrator.js';
import { createTranslator } from '../server/platform/i18n.js';
import { createLogger } from '../server/platform/logger.js';
import { benchConfig } from './bench.config.js';
import { seed } from './bench.seed.js';

// What is timed in the bench process itself, on the app's own services: the statistics refresh
// after cases changed, and the deadline sweep with so many clocks due (also on a database a tenth
// the size, to see how the sweep grows with the open caseload).

export const CHANGED_CASES = 5_000;
export const DUE_CLOCKS = 1_000;

/**
 * The statistics refresh (svc.statistics.refresh: rollups, open data, disparity days) after a day's
 * work on `changed` cases picked at random among all (so their months are spread as widely as they
 * can be): a third closed, a third with their allegations decided, a third moved to another district.
 */
export async function timeRefresh(db: Db, svc: Services, changed = CHANGED_CASES): Promise<number> {
  await db.transaction().execute(async (trx) => {
    await sql`
      create temp table bench_changed on commit drop as
      select id, row_number() over () % 3 as part from (
        select id from complaints where access_code_hash = 'synthetic:not-a-valid-code' order by random() limit ${changed}
      ) picked`.execute(trx);
    await sql`
      update complaints c set stage = 'closed', state = 'closed', outcome = coalesce(outcome, 'dismissed'),
          closed_at = coalesce(closed_at, greatest(received_at, now() - interval '1 day'))
        from bench_changed b where b.id = c.id and b.part = 0`.execute(trx);
    await sql`
      update allegations a set finding = case when random() < 0.2 then 'sustained' else 'not_sustained' end,
          decided_at = now()
        from bench_changed b where b.id = a.complaint_id and b.part = 1`.execute(trx);
    await sql`
      update complaints c set district = (select code from districts where code is distinct from c.district
                                           order by random() limit 1)
        from bench_changed b where b.id = c.id and b.part = 2`.execute(trx);
  });
  const started = performance.now();
  await svc.statistics.refresh();
  return performance.now() - started;
}

export interface SweepTiming {
  ms: number;
  /** Clocks running (open or warned) when the sweep ran. */
  running: number;
  handled: number;
}

/** Sweeps timed, the median reported: one sweep of a thousand cases reads them cold, and the machine is noisy. */
const SWEEP_ROUNDS = 3;

/**
 * The deadline sweep (svc.deadlines.sweep) with `due` clocks due: first a sweep of whatever came
 * due on its own (untimed); then, for each round, the next `due` clocks to fall due are made due
 * now and the sweep is timed. The median round is reported.
 */
export async function timeSweep(db: Db, svc: Services, due = DUE_CLOCKS): Promise<SweepTiming> {
  await svc.deadlines.sweep();
  const rounds: SweepTiming[] = [];
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    await sql`
      update deadlines set next_check_at = now() - interval '1 second'
       where id in (select id from deadlines
                     where next_check_at > now() and completed_at is null and tolled_at is null
                     order by next_check_at limit ${due})`.execute(db);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from deadlines where completed_at is null and status in ('open', 'warned')`.execute(db);
    const started = performance.now();
    const result = await svc.deadlines.sweep();
    rounds.push({
      ms: performance.now() - started,
      running: rows[0]?.n ?? 0,
      handled: result.warned + result.breached,
    });
  }
  return rounds.sort((a, b) => a.ms - b.ms)[Math.floor(rounds.length / 2)]!;
}

/** The app's services over a database, as the app builds them. */
export function servicesOver(database: Awaited<ReturnType<typeof openDatabase>>, dataDir: string, url?: string) {
  const config = { ...benchConfig(dataDir), databaseUrl: url ?? benchConfig(dataDir).databaseUrl };
  const logger = createLogger('silent');
  return { config, svc: buildServices({ config, database, translator: createTranslator(), logger }) };
}

/**
 * The same sweep on a sibling PostgreSQL database of `complaints` (created beside the bench's, named
 * after it, seeded once and reused), for the comparison with the sweep at full size.
 */
export async function siblingSweep(db: Db, databaseUrl: string, complaints: number): Promise<SweepTiming> {
  const url = new URL(databaseUrl);
  const name = `${decodeURIComponent(url.pathname.slice(1)) || 'postgres'}_sweep_${complaints}`;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${name}`.execute(
    db,
  );
  if (!rows[0]?.n) await sql`create database ${sql.id(name)}`.execute(db);
  url.pathname = `/${encodeURIComponent(name)}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-bench-sweep-'));
  const database = await openDatabase({ databaseUrl: url.toString(), logger: createLogger('silent') });
  try {
    await migrateToLatest(database.db);
    const { svc } = servicesOver(database, dataDir, url.toString());
    await svc.demo.ensureDemoData('bench-password-not-for-use');
    process.stdout.write(`Sibling database ${name}: ${complaints.toLocaleString('en-US')} complaints\n`);
    await seed(database.db, svc, complaints);
    return await timeSweep(database.db, svc);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The statistics refresh, as the app's timer runs it, on its own connection to the bench's database. */
export async function refreshStatistics(
  databaseUrl: string,
  dataDir: string,
): Promise<{ complaints: number; ms: number }> {
  const database = await openDatabase({ databaseUrl, logger: createLogger('silent') });
  try {
    const { svc } = servicesOver(database, dataDir, databaseUrl);
    const { rows } = await sql<{ n: number }>`select count(distinct complaint_id)::int as n from stats_changes`.execute(
      database.db,
    );
    const started = performance.now();
    await svc.statistics.refresh();
    return { complaints: rows[0]?.n ?? 0, ms: Math.round(performance.now() - started) };
  } finally {
    await database.close();
  }
}
