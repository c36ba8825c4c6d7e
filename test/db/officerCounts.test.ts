import { expect } from 'chai';
import { sql } from 'kysely';
import { useDatabase } from '../support/database.js';
import { complaintRow } from '../support/complaintRow.js';

/**
 * #18 item 1: the per-day officer counts early intervention reads are kept by statement triggers
 * on allegations. Whatever writes allegations (one row or many per statement, an edit, a decision,
 * a purge's cascade), the counts equal a recount from the allegations.
 */
describe('officer day counts kept by the triggers on allegations', () => {
  const database = useDatabase();
  const db = () => database.db;
  let officers: string[];
  let n = 0;

  const complaint = async (receivedAt: string) =>
    (
      await db()
        .insertInto('complaints')
        .values(complaintRow(`OC-CNT-${String(++n).padStart(4, '0')}`, { received_at: new Date(receivedAt) }))
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  /** The kept counts and a recount from the allegations, each sorted, zero rows left out. */
  const compare = async () => {
    const kept = await sql<{ row: string }>`
      select 'c ' || officer_id || ' ' || day || ' ' || complaints as row from officer_day_complaints where complaints <> 0
      union all select 'k ' || officer_id || ' ' || day || ' ' || category || ' ' || allegations
        from officer_day_categories where allegations <> 0
      union all select 's ' || officer_id || ' ' || day || ' ' || sustained from officer_day_sustained where sustained <> 0
      order by 1`.execute(db());
    const recount = await sql<{ row: string }>`
      select 'c ' || a.officer_id || ' ' || (c.received_at at time zone 'UTC')::date || ' ' || count(distinct a.complaint_id) as row
        from allegations a join complaints c on c.id = a.complaint_id where a.officer_id is not null
        group by a.officer_id, (c.received_at at time zone 'UTC')::date
      union all select 'k ' || a.officer_id || ' ' || (c.received_at at time zone 'UTC')::date || ' ' || a.category || ' ' || count(*)
        from allegations a join complaints c on c.id = a.complaint_id where a.officer_id is not null
        group by a.officer_id, (c.received_at at time zone 'UTC')::date, a.category
      union all select 's ' || officer_id || ' ' || (decided_at at time zone 'UTC')::date || ' ' || count(*)
        from allegations where officer_id is not null and finding = 'sustained' and decided_at is not null
        group by officer_id, (decided_at at time zone 'UTC')::date
      order by 1`.execute(db());
    expect(kept.rows.map((r) => r.row)).to.deep.equal(recount.rows.map((r) => r.row));
    return kept.rows.length;
  };

  before(async () => {
    const rows = await db()
      .insertInto('officers')
      .values([
        { first_name: 'A', last_name: 'One', badge_number: 'CNT-1' },
        { first_name: 'B', last_name: 'Two', badge_number: 'CNT-2' },
      ])
      .returning('id')
      .execute();
    officers = rows.map((r) => r.id);
  });

  it('counts a complaint once per officer however many allegations name them, through every kind of write', async () => {
    const [o1, o2] = officers as [string, string];
    const first = await complaint('2026-03-10T23:30:00Z');
    const second = await complaint('2026-03-11T01:00:00Z');
    // Several rows in one statement, two naming the same officer on one complaint.
    await db()
      .insertInto('allegations')
      .values([
        { complaint_id: first, officer_id: o1, category: 'force' },
        { complaint_id: first, officer_id: o1, category: 'discourtesy' },
        { complaint_id: first, officer_id: o2, category: 'force' },
        { complaint_id: second, officer_id: o1, category: 'force' },
        { complaint_id: second, officer_id: null, category: 'other' },
      ])
      .execute();
    expect(await compare()).to.be.greaterThan(0);
    const c1 = await sql<{ complaints: number }>`
      select complaints from officer_day_complaints where officer_id = ${o1} and day = '2026-03-10'`.execute(db());
    expect(c1.rows[0]?.complaints).to.equal(1);
    // An edit moves an allegation to another officer; a decision sustains one; a draft save changes nothing counted.
    await db()
      .updateTable('allegations')
      .set({ officer_id: o2 })
      .where('complaint_id', '=', second)
      .where('officer_id', '=', o1)
      .execute();
    await compare();
    await db()
      .updateTable('allegations')
      .set({ finding: 'sustained', decided_at: new Date('2026-06-01T12:00:00Z') })
      .where('complaint_id', '=', first)
      .execute();
    await compare();
    await db().updateTable('allegations').set({ draft_rationale: 'x' }).execute();
    await compare();
    // One of the two allegations naming an officer on a complaint goes: the complaint still counts once.
    await db()
      .deleteFrom('allegations')
      .where('complaint_id', '=', first)
      .where('category', '=', 'discourtesy')
      .execute();
    await compare();
    // A purge: the complaint goes, its allegations with it (a cascade), all in one statement.
    await db().deleteFrom('complaints').where('id', '=', first).execute();
    await compare();
    const left = await sql<{ n: number }>`
      select coalesce(sum(complaints), 0)::int as n from officer_day_complaints where day = '2026-03-10'`.execute(db());
    expect(left.rows[0]!.n).to.equal(0);
  });
});
