import { expect } from 'chai';
import pg from 'pg';
import { LOOKUP_LIMITS } from '../../server/features/residents/status.service.js';
import { throttle } from '../../server/platform/security/throttle.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { fileThroughForm } from '../support/resident.js';

// R7 with the lookup counted only when it fails (#18 item 2): a right code must still queue behind
// failures of the same client on the same number that are under way, even before the client's
// bucket exists, and be refused once they lock it.
describe('status lookup: a right code waits for guesses under way (R7, PostgreSQL)', () => {
  const database = useDatabase();

  it('is judged after an uncommitted failure that creates the bucket, and refused when it locked', async function () {
    if (!database.handle.url) return this.skip();
    const { app, services } = testApp(database.handle);
    const filed = await fileThroughForm(app);
    const client = '198.51.100.77';
    const pair = throttle(
      { db: database.db, clientKey: services.keys.client, clock: () => new Date() },
      LOOKUP_LIMITS,
    ).plan(filed.trackingNumber, client).pair;
    const other = new pg.Client({ connectionString: database.handle.url });
    await other.connect();
    try {
      // Five failures in a row, not yet committed: the bucket does not exist for anyone else yet.
      await other.query('begin');
      await other.query(
        `insert into rate_limits (bucket, failures, window_ends_at) values ($1, 5, now() + interval '15 minutes')`,
        [pair],
      );
      const started = Date.now();
      const lookup = services.status.lookup(filed.trackingNumber, filed.accessCode, client);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('commit');
      expect((await lookup).kind).to.equal('limited');
      expect(Date.now() - started).to.be.at.least(250);
    } finally {
      await other.end();
    }
    // Another client with the right code gets in.
    expect((await services.status.lookup(filed.trackingNumber, filed.accessCode, '198.51.100.78')).kind).to.equal(
      'found',
    );
  });
});
