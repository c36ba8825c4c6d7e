import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from '../../server/platform/db/pglite.dialect.js';
import { migrateDown, migrateToLatest, migrateToNone } from '../../server/platform/db/migrator.js';
import { isUniqueViolation } from '../../server/platform/db/errors.js';
import { emptyDatabase, useDatabase, type TestDatabase } from '../support/database.js';

const DOMAIN_TABLES = [
  'agenda_items',
  'allegation_categories',
  'allegations',
  'api_tokens',
  'assignments',
  'attachments',
  'audit_events',
  'board_findings',
  'board_meetings',
  'complainants',
  'complaint_drafts',
  'complaints',
  'deadline_policies',
  'deadlines',
  'department_responses',
  'disparity_days',
  'districts',
  'holidays',
  'notes',
  'officer_day_categories',
  'officer_day_complaints',
  'officer_day_sustained',
  'officers',
  'open_data_cells',
  'open_data_rows',
  'outbox',
  'password_resets',
  'rate_limits',
  'recommendation_cases',
  'recommendation_items',
  'recommendation_updates',
  'recommendation_votes',
  'recommendations',
  'records_releases',
  'recusals',
  'reference_version',
  'reported_officers',
  'sessions',
  'settings',
  'stats_changes',
  'stats_rollup',
  'stats_snapshots',
  'surveys',
  'trust_answers',
  'trust_ballots',
  'trust_results',
  'trust_waves',
  'user_roles',
  'users',
  'votes',
  'witnesses',
];

async function tables(handle: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(handle.db);
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  let handle: TestDatabase;
  before(async () => {
    handle = await emptyDatabase();
  });
  after(async () => handle.close());

  it('create the whole domain schema, undo it step by step, and apply again', async () => {
    const applied = await migrateToLatest(handle.db);
    expect(applied.every((r) => r.status === 'Success')).to.equal(true);
    expect(await tables(handle)).to.deep.equal(DOMAIN_TABLES);

    const undone = await migrateDown(handle.db);
    expect(undone).to.have.length(1);
    expect(undone[0]!.direction).to.equal('Down');
    expect(await migrateToLatest(handle.db)).to.have.length(1);

    await migrateToNone(handle.db);
    expect(await tables(handle)).to.deep.equal([]);
    await migrateToLatest(handle.db);
    expect(await tables(handle)).to.deep.equal(DOMAIN_TABLES);
  });

  it('index every lookup path', async () => {
    const { rows } = await sql<{ indexname: string }>`
      select indexname from pg_indexes where schemaname = 'public'`.execute(handle.db);
    const names = rows.map((r) => r.indexname);
    for (const name of [
      'complaints_tracking_number_key',
      'complaints_stage',
      'assignments_assignee',
      'deadlines_open_due',
      'deadlines_next_check',
      'allegations_officer',
      'votes_one_per_member_per_round',
    ]) {
      expect(names, name).to.include(name);
    }
  });
});

describe('schema constraints', () => {
  const database = useDatabase();
  const complaint = (tracking: string) => ({
    tracking_number: tracking,
    access_code_hash: 'h',
    snapshot: JSON.stringify({}),
    machine_version: 1,
    stage: 'intake' as const,
    state: 'intake.received',
    language: 'en' as const,
    channel: 'web' as const,
    narrative: 'n',
  });

  it('refuses a duplicate tracking number', async () => {
    await database.db.insertInto('complaints').values(complaint('OC-AAAA-2222')).execute();
    const error = await database.db
      .insertInto('complaints')
      .values(complaint('OC-AAAA-2222'))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).to.equal(true);
  });

  it('refuses values outside an enumeration', async () => {
    const error = await database.db
      .insertInto('complaints')
      .values({ ...complaint('OC-BBBB-3333'), stage: 'limbo' as never })
      .execute()
      .catch((e: { code?: string }) => e);
    expect((error as { code?: string }).code).to.equal('23514');
  });

  it('allows one vote per member per allegation per round', async () => {
    const db = database.db;
    const { id: complaintId } = await db
      .insertInto('complaints')
      .values(complaint('OC-CCCC-4444'))
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: allegationId } = await db
      .insertInto('allegations')
      .values({ complaint_id: complaintId, category: 'force' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: memberId } = await db
      .insertInto('users')
      .values({ email: 'member@example.org', display_name: 'M', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: meetingId } = await db
      .insertInto('board_meetings')
      .values({ scheduled_for: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: itemId } = await db
      .insertInto('agenda_items')
      .values({ meeting_id: meetingId, complaint_id: complaintId, public_reference: 'R-1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const vote = {
      agenda_item_id: itemId,
      allegation_id: allegationId,
      member_id: memberId,
      finding: 'sustained' as const,
    };
    await db
      .insertInto('votes')
      .values({ ...vote, round: 1 })
      .execute();
    const error = await db
      .insertInto('votes')
      .values({ ...vote, round: 1, finding: 'unfounded' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).to.equal(true);
    await db
      .insertInto('votes')
      .values({ ...vote, round: 2 })
      .execute();
  });

  it('reads bigint as a number and date as YYYY-MM-DD on both drivers', async () => {
    const { rows } = await sql<{
      n: number;
      d: string;
    }>`select 9007199254740::bigint as n, date '2026-03-08' as d`.execute(database.db);
    expect(rows[0]).to.deep.equal({ n: 9007199254740, d: '2026-03-08' });
  });

  it('reports zero updated rows as 0, not as unknown', async () => {
    const result = await database.db
      .updateTable('complaints')
      .set({ version: 99 })
      .where('tracking_number', '=', 'OC-NONE-0000')
      .executeTakeFirst();
    expect(result.numUpdatedRows).to.equal(0n);
  });
});

describe('transactions on one database', () => {
  const database = useDatabase();

  it('a rollback never touches a concurrent transaction’s committed writes', async () => {
    const db = database.db;
    await sql`create table probe (label text not null)`.execute(db);
    // On PostgreSQL the two really overlap; on PGlite the second waits for the session.
    const committed = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('probe' as never)
        .values({ label: 'kept' } as never)
        .execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const rolledBack = db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('probe' as never)
          .values({ label: 'undone' } as never)
          .execute();
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await committed;
    expect(await rolledBack).to.equal('roll back');
    const rows = await sql<{ label: string }>`select label from probe order by label`.execute(db);
    expect(rows.rows.map((r) => r.label)).to.deep.equal(['kept']);
  });

  it('keeps every write of 40 interleaved transactions, half of them rolled back', async () => {
    const db = database.db;
    await sql`create table probe2 (n int not null)`.execute(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) =>
        db.transaction().execute(async (trx) => {
          await sql`insert into probe2 values (${n})`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
          await sql`insert into probe2 values (${n + 1000})`.execute(trx);
          if (n % 2 === 1) throw new Error('odd');
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(20);
    const rows = await sql<{ n: number }>`select n from probe2 order by n`.execute(db);
    const expected = Array.from({ length: 20 }, (_, i) => i * 2);
    expect(rows.rows.map((r) => r.n)).to.deep.equal([...expected, ...expected.map((n) => n + 1000)]);
  });
});

describe('the PGlite dialect', () => {
  let pglite: PGlite;
  before(async () => {
    pglite = await PGlite.create();
  });
  after(async () => {
    if (!pglite.closed) await pglite.close();
  });

  it('frees the session after a failed query inside a transaction', async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    const failed = await db
      .transaction()
      .execute((trx) => sql`select * from no_such_table`.execute(trx))
      .catch((e: Error) => e.message);
    expect(failed).to.match(/no_such_table/);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).to.deep.equal([{ one: 1 }]);
  });

  it('fails a query made outside its own transaction after the wait limit, instead of hanging', async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite, 200) });
    const outcome = await db
      .transaction()
      .execute(async () => {
        await sql`select 1`.execute(db); // wrong: db, not trx
      })
      .catch((e: Error) => e.message);
    expect(outcome).to.match(/not free after 200 ms/);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).to.have.length(1);
  });

  it('exchanges timestamps in UTC', async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    const { rows } = await sql<{ zone: string }>`select current_setting('TimeZone') as zone`.execute(db);
    expect(rows[0]!.zone).to.equal('UTC');
  });

  it('rejects queries still waiting when it is destroyed', async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    const holder = db.transaction().execute(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const waiting = sql`select 1`.execute(db).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const destroyed = db.destroy();
    expect(await waiting).to.equal('PGlite is closed');
    await holder.catch(() => undefined);
    await destroyed;
  });
});
