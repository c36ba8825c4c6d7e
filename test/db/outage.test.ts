import { expect } from 'chai';
import { sql } from 'kysely';
import request from 'supertest';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { testApp } from '../support/app.js';
import { databaseKind, useDatabase } from '../support/database.js';
import { capturingLogger, silentLogger } from '../support/logger.js';
import { TcpProxy } from '../support/tcpProxy.js';

describe('database outage and recovery (R25)', function () {
  const database = useDatabase();
  let proxy: TcpProxy;
  let handle: DatabaseHandle;

  before(function () {
    // PGlite runs inside the process: there is no server to stop. Its outage is covered by the
    // readiness test; this one needs a PostgreSQL server.
    if (databaseKind !== 'postgres') this.skip();
  });

  beforeEach(async () => {
    const target = new URL(database.handle.url!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    handle = await openDatabase({ databaseUrl: viaProxy.toString(), logger: silentLogger });
  });

  afterEach(async () => {
    await proxy.start();
    await handle.close();
    await proxy.stop();
  });

  it('answers 503 while PostgreSQL is down and 200 again once it is back, without a restart', async () => {
    const { app } = testApp(handle);
    await request(app).get('/readyz').expect(200);
    await request(app).get('/').expect(200);

    await proxy.stop();
    const down = await request(app).get('/readyz').expect(503);
    expect(down.body.checks.database).to.equal('unavailable');
    await request(app).get('/').expect(503);
    await request(app).get('/healthz').expect(200);

    await proxy.start();
    await request(app).get('/readyz').expect(200);
    await request(app).get('/').expect(200);
  });

  it('survives idle connections dropping under the pool (no crash from the pool error event)', async () => {
    const { app } = testApp(handle);
    await Promise.all(Array.from({ length: 5 }, () => request(app).get('/readyz').expect(200)));
    await proxy.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await proxy.start();
    // The first query may meet a dead connection; within a few tries the pool has fresh ones.
    let status = 0;
    for (let attempt = 0; attempt < 5 && status !== 200; attempt++) status = (await request(app).get('/readyz')).status;
    expect(status).to.equal(200);
  });

  /**
   * 40 filings, 8 at a time, while `fault` happens: each answers 201 or 503 (JSON), every 201 is in
   * the database, and a filing succeeds again within 10 s of the fault's end. The process never
   * exits: an unhandled 'error' event would fail the test as an uncaught exception.
   */
  async function fileThrough(fault: () => Promise<void>): Promise<void> {
    const { app } = testApp(handle);
    const file = (k: number) =>
      request(app)
        .post('/api/v1/complaints')
        .send({
          language: 'en',
          narrative: `Filed while the database dropped its connections (${k}).`,
          about: { filing: 'self', name: 'Outage Resident', email: 'outage@example.com', preferredContact: 'email' },
          consent: true,
          truthful: true,
        });
    await file(0).expect(201);
    const statuses: number[] = [];
    const filed: string[] = [];
    const stream = async (first: number) => {
      for (let k = first; k < 40; k += 8) {
        const res = await file(k);
        statuses.push(res.status);
        if (res.status === 201) filed.push((res.body as { trackingNumber: string }).trackingNumber);
        if (res.status === 503) expect(res.body).to.have.nested.property('error.status', 503);
      }
    };
    await Promise.all([fault(), ...Array.from({ length: 8 }, (_, k) => stream(k + 1))]);
    expect(
      statuses.filter((s) => s !== 201 && s !== 503),
      `statuses ${statuses.join(',')}`,
    ).to.deep.equal([]);
    const stored = await database.db
      .selectFrom('complaints')
      .select('tracking_number')
      .where('tracking_number', 'in', filed.length ? filed : ['none'])
      .execute();
    expect(stored.map((r) => r.tracking_number).sort()).to.deep.equal([...filed].sort());
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 201 && Date.now() < deadline) status = (await file(99)).status;
    expect(status, 'a filing after the fault').to.equal(201);
  }

  it('survives its connections being terminated while filings are in flight (pg_terminate_backend)', async function () {
    this.timeout(60_000);
    await fileThrough(async () => {
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`.execute(database.db);
      }
    });
  });

  it('survives PostgreSQL going away for a second while filings are in flight', async function () {
    this.timeout(60_000);
    await fileThrough(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxy.start();
    });
  });
});

describe('the home page while the database fails its query (#19 part 4)', () => {
  const database = useDatabase();

  it('is shown without the survey invitation, and the failure is logged without its message', async () => {
    const logs = capturingLogger();
    const { app } = testApp(database.handle, {
      logger: logs.logger,
      override: (svc) => ({
        trustSurveys: {
          ...svc.trustSurveys,
          current: () => Promise.reject(new Error('Connection terminated for resident@example.com')),
        },
      }),
    });
    const home = await request(app).get('/?lang=es').expect(200);
    expect(home.text).to.contain('<h1');
    expect(home.text).not.to.contain('/community-survey');
    const logged = logs.lines.join('\n');
    expect(logged).to.contain('home page shown without the survey invitation');
    expect(logged).not.to.contain('resident@example.com');
  });
});
