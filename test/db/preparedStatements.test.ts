import { expect } from 'chai';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { PREPARED } from '../../server/platform/db/prepared.js';
import { statusRow } from '../../server/features/residents/status.repository.js';
import { LOOKUP_LIMITS } from '../../server/features/residents/status.service.js';
import { throttle } from '../../server/platform/security/throttle.js';
import { databaseKind, useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';

/** #18 item 2: the hot queries are named prepared statements on PostgreSQL, planned once per connection. */
describe('prepared statements for the hot queries (PostgreSQL)', function () {
  let one: DatabaseHandle | undefined;
  // Closed before the database is dropped (hooks run in the order they are declared).
  after(async () => {
    await one?.close();
  });
  const database = useDatabase();

  before(async function () {
    if (databaseKind !== 'postgres') return this.skip();
    // One connection, so the session that prepared is the one asked.
    one = await openDatabase({ databaseUrl: database.handle.url!, logger: silentLogger, poolSize: 1 });
  });

  const prepared = async () =>
    (
      await sql<{ statement: string }>`select statement from pg_prepared_statements order by statement`.execute(one!.db)
    ).rows.map((r) => r.statement);

  it('names the marked queries (once each, whatever the values) and leaves the others unnamed', async () => {
    for (const n of [1, 2, 3]) await sql`${sql.raw(PREPARED)} select ${n}::int as n`.execute(one!.db);
    await sql`select 42 as unmarked`.execute(one!.db);
    const statements = await prepared();
    expect(statements.filter((s) => s.startsWith(PREPARED))).to.have.length(1);
    expect(statements.some((s) => s.includes('unmarked'))).to.equal(false);
  });

  it('the status lookup is one of them', async () => {
    await statusRow(one!.db, { id: '00000000-0000-4000-8000-000000000001' });
    await statusRow(one!.db, { id: '00000000-0000-4000-8000-000000000002' });
    expect((await prepared()).filter((s) => s.includes('public_history'))).to.have.length(1);
  });

  it('so is the lookup by number and code, with its attempt guard, whatever the number and code', async () => {
    const guesses = throttle({ db: one!.db, clientKey: Buffer.alloc(32, 1), clock: () => new Date() }, LOOKUP_LIMITS);
    for (const [number, code] of [
      ['OC-2222-2222', 'AAAA-BBBB-CCCC-DDDD'],
      ['OC-3333-3333', 'EEEE-FFFF-GGGG-HHHH'],
    ] as const) {
      const planned = guesses.plan(number, '192.0.2.7');
      const row = await statusRow(one!.db, {
        trackingNumber: number,
        lookup: { codeHashes: [code], guard: (passed) => guesses.guard(planned, new Date(), passed) },
      });
      expect(row.matched).to.equal(false);
      expect(Object.keys(row.attempts?.failed ?? {})).to.have.length(3);
    }
    expect((await prepared()).filter((s) => s.includes('guard_failed'))).to.have.length(1);
  });
});
