import { expect } from 'chai';
import { sql } from 'kysely';
import type { Db } from '../../server/platform/db/database.js';
import { auditService, type AuditService } from '../../server/platform/audit/audit.service.js';
import request from 'supertest';
import { testApp } from '../support/app.js';
import { freshDatabase, useDatabase, type TestDatabase } from '../support/database.js';
import { fileThroughForm } from '../support/resident.js';
import { createStaff, signIn, signInPage, STAFF_PASSWORD } from '../support/staff.js';

const system = { type: 'system' } as const;

async function appendEvents(audit: AuditService, db: Db, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await db.transaction().execute((trx) =>
      audit.record(trx, {
        type: 'complaint.read',
        actor: { type: 'user', id: '00000000-0000-4000-8000-00000000000' + (i % 10) },
        object: { type: 'complaint', id: `c-${i}` },
        requestId: `r-${i}`,
        details: { n: i, fields: ['stage', 'district'], note: `ünïcode ${i}` },
      }),
    );
  }
}

/** Runs `body` as the table's owner with the append-only triggers switched off, as an attacker would. */
async function asOwnerWithoutTriggers(db: Db, body: () => Promise<unknown>): Promise<void> {
  await sql`alter table audit_events disable trigger user`.execute(db);
  try {
    await body();
  } finally {
    await sql`alter table audit_events enable trigger user`.execute(db);
  }
}

describe('audit log (R1–R4)', () => {
  const database = useDatabase();
  const audit = () => auditService(database.db);

  it('is written in the caller’s transaction: a rolled-back action leaves no audit row (R3)', async () => {
    const failed = await database.db
      .transaction()
      .execute(async (trx) => {
        await audit().record(trx, { type: 'complaint.update', actor: system, object: { type: 'complaint', id: 'x' } });
        throw new Error('the action failed');
      })
      .catch((e: Error) => e.message);
    expect(failed).to.equal('the action failed');
    expect(await database.db.selectFrom('audit_events').select('id').execute()).to.deep.equal([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE (R4)', async () => {
    await appendEvents(audit(), database.db, 2);
    for (const statement of [
      sql`update audit_events set outcome = 'failure'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      const error = await statement.execute(database.db).catch((e: { code?: string; message: string }) => e);
      expect((error as { message: string }).message).to.match(/append-only/);
    }
    expect(await database.db.selectFrom('audit_events').select('id').execute()).to.have.length(2);
  });

  it('never forks under 20 concurrent writers, and verifies', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await audit().record(trx, { type: 'vote.cast', actor: system, details: { i } });
          await new Promise((resolve) => setTimeout(resolve, i % 3));
        }),
      ),
    );
    const result = await audit().verify();
    expect(result).to.include({ ok: true, count: 22 });
  });

  it('hashes in the database as in Node: text in any script, several appends in one transaction, and verifies', async () => {
    await database.db.transaction().execute(async (trx) => {
      // The first append's hash is made by the database, the second's in Node from the first's.
      await audit().record(trx, { type: 'x.first', actor: system, details: { reason: 'Descortesía — ñ 😀 中文' } });
      await audit().record(trx, { type: 'x.second', actor: system, details: { reason: 'segunda', list: ['ü', 'é'] } });
    });
    expect(await audit().verify()).to.include({ ok: true, count: 24 });
  });

  it('refuses details that could carry a secret or a narrative (R2)', async () => {
    const error = await database.db
      .transaction()
      .execute((trx) => audit().record(trx, { type: 'x', actor: system, details: { accessCode: 'ABC' } }))
      .catch((e: Error) => e.message);
    expect(error).to.match(/may not carry 'accessCode'/);
  });

  describe('tampering by the database owner is found', () => {
    let handle: TestDatabase;
    beforeEach(async () => {
      handle = await freshDatabase();
      await appendEvents(auditService(handle.db), handle.db, 6);
    });
    afterEach(async () => handle.close());
    const idOf = async (n: number) =>
      (await handle.db.selectFrom('audit_events').select('id').orderBy('id').execute())[n]!.id;

    it('a clean chain passes', async () => {
      expect(await auditService(handle.db).verify()).to.include({ ok: true, count: 6 });
    });

    it('a changed row is named', async () => {
      const target = await idOf(2);
      await asOwnerWithoutTriggers(handle.db, () =>
        sql`update audit_events set details = '{"n": 99}' where id = ${target}`.execute(handle.db),
      );
      expect(await auditService(handle.db).verify()).to.include({ ok: false, brokenAt: target });
    });

    it('a deleted row is found at the row after it', async () => {
      const [deleted, next] = [await idOf(3), await idOf(4)];
      await asOwnerWithoutTriggers(handle.db, () =>
        sql`delete from audit_events where id = ${deleted}`.execute(handle.db),
      );
      expect(await auditService(handle.db).verify()).to.include({ ok: false, brokenAt: next });
    });

    it('two reordered rows are found at the first of them', async () => {
      const [a, b] = [await idOf(1), await idOf(2)];
      await asOwnerWithoutTriggers(handle.db, async () => {
        await sql`update audit_events set id = -1 where id = ${a}`.execute(handle.db);
        await sql`update audit_events set id = ${a} where id = ${b}`.execute(handle.db);
        await sql`update audit_events set id = ${b} where id = -1`.execute(handle.db);
      });
      expect(await auditService(handle.db).verify()).to.include({ ok: false, brokenAt: a });
    });

    it('a cut tail passes alone but fails against a checkpoint', async () => {
      const checkpoint = await auditService(handle.db).checkpoint();
      expect(checkpoint.count).to.equal(6);
      const last = await idOf(5);
      await asOwnerWithoutTriggers(handle.db, () =>
        sql`delete from audit_events where id = ${last}`.execute(handle.db),
      );
      expect(await auditService(handle.db).verify()).to.include({ ok: true, count: 5 });
      const result = await auditService(handle.db).verify(checkpoint);
      expect(result.ok).to.equal(false);
    });
  });
});

describe('the audit log after real use carries no secret and no narrative (R2)', () => {
  const database = useDatabase();

  it('holds no password, access code, token or narrative after filings, lookups and sign-ins', async () => {
    const { app } = testApp(database.handle);
    const narrative = 'CANARY-NARRATIVE-7731 the officer kicked the door of 5 Elm Street.';
    const filed = await fileThroughForm(app, { answers: { what: { narrative } } });
    await request(app)
      .post('/api/v1/status')
      .send({ trackingNumber: filed.trackingNumber, accessCode: filed.accessCode })
      .expect(200);
    await request(app)
      .post('/api/v1/status')
      .send({ trackingNumber: filed.trackingNumber, accessCode: 'WRONG-CODE-1234' })
      .expect(404);
    const staff = await createStaff(database.db, ['intake']);
    const agent = await signIn(app, staff);
    const guess = request.agent(app);
    const token = await signInPage(guess);
    await guess
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: token, email: staff.email, password: 'a-wrong-password-9913' });
    const id = (
      await database.db
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', filed.trackingNumber)
        .executeTakeFirstOrThrow()
    ).id;
    await agent.get(`/staff/cases/${id}`).expect(200);

    const rows = await database.db.selectFrom('audit_events').selectAll().execute();
    expect(rows.length).to.be.greaterThan(3);
    const everything = JSON.stringify(rows);
    for (const secret of [
      'CANARY-NARRATIVE-7731',
      filed.accessCode,
      filed.accessCode.replace(/-/g, ''),
      'WRONG-CODE-1234',
      STAFF_PASSWORD,
      'a-wrong-password-9913',
      token,
    ]) {
      expect(everything, secret).not.to.contain(secret);
    }
    // Every row says when (UTC), what, who, with what outcome (R2).
    for (const row of rows) {
      expect(row.occurred_at).to.be.instanceOf(Date);
      expect(row.event_type).to.be.a('string').and.not.equal('');
      expect(row.actor_type).to.be.oneOf(['user', 'token', 'public', 'system']);
      expect(row.outcome).to.be.oneOf(['success', 'failure']);
    }
  });
});
