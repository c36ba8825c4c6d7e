import { expect } from 'chai';
import { sql } from 'kysely';
import { referenceCache } from '../../server/platform/reference/reference.cache.js';
import { useDatabase } from '../support/database.js';

// #18 item 2: the reference data is kept in memory by each instance and read again only when its
// version moved, however it changed: an admin's page, plain SQL, another instance.
describe('reference data kept in memory, never stale (#18 item 2)', () => {
  const database = useDatabase();
  const db = () => database.db;

  it('every instance sees a change at its next use, whoever made it and however', async () => {
    const one = referenceCache(db());
    const two = referenceCache(db());
    const before = await one.current();
    expect((await two.current()).districts).to.deep.equal(before.districts);
    await db().insertInto('districts').values({ code: 'harbor', name_en: 'Harbor', name_es: 'Puerto' }).execute();
    expect((await one.current()).districts.map((d) => d.code)).to.include('harbor');
    expect((await two.current()).districts.map((d) => d.code)).to.include('harbor');
    // Retired: no longer offered.
    await db().updateTable('districts').set({ active: false }).where('code', '=', 'harbor').execute();
    expect((await one.current()).districts.map((d) => d.code)).not.to.include('harbor');
    await sql`insert into holidays (day, name) values ('2031-07-04', 'Independence Day')`.execute(db());
    expect((await two.current()).holidays).to.include('2031-07-04');
    await db()
      .insertInto('deadline_policies')
      .values({ kind: 'investigation', amount: 90, unit: 'calendar_days', updated_at: new Date() })
      .execute();
    expect((await one.current()).policies.get('investigation')?.amount).to.equal(90);
    await db()
      .insertInto('settings')
      .values({ key: 'statutory_basis', value: JSON.stringify('incident') })
      .execute();
    expect((await two.current()).statutoryBasis).to.equal('incident');
  });

  it('reads the data again only when it changed; other settings do not count as a change', async () => {
    const cache = referenceCache(db());
    const first = await cache.current();
    await db()
      .insertInto('settings')
      .values({ key: 'unrelated.setting', value: JSON.stringify(1) })
      .execute();
    expect(await cache.current()).to.equal(first);
    await db()
      .updateTable('allegation_categories')
      .set({ name_es: 'Uso de fuerza' })
      .where('code', '=', 'force')
      .execute();
    const second = await cache.current();
    expect(second).not.to.equal(first);
    expect(second.categories.find((c) => c.code === 'force')?.name_es).to.equal('Uso de fuerza');
  });

  it('in a transaction, asks once and answers the same however often it is used', async () => {
    const cache = referenceCache(db());
    await db()
      .transaction()
      .execute(async (trx) => {
        const a = await cache.current(trx);
        await sql`insert into holidays (day, name) values ('2032-01-01', 'New Year')`.execute(trx);
        // The transaction's own change shows from its next transaction on.
        expect(await cache.current(trx)).to.equal(a);
      });
    expect((await cache.current()).holidays).to.include('2032-01-01');
  });

  it('carries data read just before a transaction into it: the transaction does not ask again', async () => {
    const cache = referenceCache(db());
    const before = await cache.current();
    await db()
      .transaction()
      .execute(async (trx) => {
        cache.carry(trx, before);
        // Even a change made in the transaction itself: it is the caller's own, made after the read.
        await sql`insert into holidays (day, name) values ('2033-01-01', 'New Year')`.execute(trx);
        expect(await cache.current(trx)).to.equal(before);
      });
  });
});
