import { expect } from 'chai';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { PREPARED } from '../../server/platform/db/prepared.js';
import { statusRow } from '../../server/features/residents/status.repository.js';
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
    await statusRow(one!.db, { trackingNumber: 'OC-2222-2222' }, undefined);
    await statusRow(one!.db, { trackingNumber: 'OC-3333-3333' }, undefined);
    expect((await prepared()).filter((s) => s.includes('public_history'))).to.have.length(1);
  });
});
