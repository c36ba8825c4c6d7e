import { expect } from 'chai';
import request from 'supertest';
import { openDatabase, type DatabaseHandle } from '../../server/db/database.js';
import { testApp } from '../support/app.js';
import { databaseKind, useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
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
});
