import { expect } from 'chai';
import request from 'supertest';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { testApp } from '../support/app.js';
import { databaseKind, useDatabase } from '../support/database.js';
import { createStaff, signIn } from '../support/staff.js';
import { silentLogger } from '../support/logger.js';

/**
 * #18 item 3: on PostgreSQL no slow statement holds a pooled connection for long. A request whose
 * statement runs past the timeout fails alone with 503, and the rest of the app keeps answering.
 * (PGlite is one session in the process: there a slow statement waits for nothing but itself.)
 */
describe('the statement timeout: a slow query fails alone (PostgreSQL)', function () {
  let timed: DatabaseHandle | undefined;
  // Closed before the database is dropped (hooks run in the order they are declared).
  after(async () => {
    await timed?.close();
  });
  const database = useDatabase();

  before(async function () {
    if (databaseKind !== 'postgres') return this.skip();
    timed = await openDatabase({
      databaseUrl: database.handle.url!,
      logger: silentLogger,
      poolSize: 4,
      statementTimeoutMs: 400,
    });
  });

  it('cancels a statement that runs past the timeout, and the connection serves the next one', async () => {
    const started = Date.now();
    const error = await sql`select pg_sleep(5)`.execute(timed!.db).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(error?.code).to.equal('57014');
    expect(Date.now() - started).to.be.below(3_000);
    // Every connection of the pool still answers.
    const answers = await Promise.all([1, 2, 3, 4].map(() => sql<{ one: number }>`select 1 as one`.execute(timed!.db)));
    expect(answers.map((a) => a.rows[0]!.one)).to.deep.equal([1, 1, 1, 1]);
  });

  it('lifts it for a job that asks to (set local), and only in that transaction', async () => {
    await timed!.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = 0`.execute(trx);
      await sql`select pg_sleep(0.6)`.execute(trx);
    });
    const after = await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(timed!.db);
    expect(after.rows[0]!.t).to.equal('400ms');
  });

  it('a request stuck behind a lock answers 503 in its turn, while the other pages answer 200', async () => {
    const { app } = testApp({ ...database.handle, db: timed!.db });
    const supervisor = await createStaff(database.db, ['supervisor']);
    const agent = await signIn(app, supervisor);
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'A complaint whose row another session holds.',
        categories: [],
        officers: [],
        witnesses: [],
        about: { filing: 'anonymous' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const { id } = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    const page = await agent.get(`/staff/cases/${id}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    // Another session (an admin's long edit, a stuck job) holds the case's row.
    const holder = new pg.Client({ connectionString: database.handle.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from complaints where id = $1 for update', [id]);
      const stuck = agent.post(`/staff/cases/${id}/actions/BEGIN_TRIAGE`).type('form').send({ _csrf: csrf, version });
      const others = await Promise.all([
        request(app).get('/').expect(200),
        request(app).get('/how-it-works').expect(200),
        agent.get('/staff/cases').expect(200),
      ]);
      expect(others).to.have.length(3);
      const answer = await stuck;
      expect(answer.status).to.equal(503);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const state = await database.db
      .selectFrom('complaints')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(state.state).to.equal('intake.received');
  });
});
