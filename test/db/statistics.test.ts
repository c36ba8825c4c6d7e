import { expect } from 'chai';
import pg from 'pg';
import { MEASURES, rollupRows } from '../../server/features/transparency/transparency.repository.js';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';

const DAY = 86_400_000;
const CANARY = ['Zebulon Canaryfield', 'canary.person@example.net', '77 Canary Lane', 'CANARY-NARRATIVE-PHRASE'];

interface Planted {
  district: string;
  category: string;
  receivedAt: string;
  closedAfterDays?: number;
  finding?: 'sustained' | 'not_sustained' | 'unfounded';
  allegations?: number;
}

describe('public statistics: the rollups and the open-data rows are rebuilt from the cases', () => {
  const database = useDatabase();
  let services: Services;
  let planted = 0;

  const db = () => database.db;
  /** A complaint with its allegations, named and described with canary text that must never be published. */
  const plant = async (p: Planted) => {
    planted += 1;
    const received = new Date(p.receivedAt);
    const closed = p.closedAfterDays === undefined ? null : new Date(received.getTime() + p.closedAfterDays * DAY);
    const { id } = await db()
      .insertInto('complaints')
      .values({
        tracking_number: `OC-STAT-${String(planted).padStart(4, '0')}`,
        access_code_hash: 'h',
        snapshot: '{}',
        machine_version: 1,
        stage: closed ? 'closed' : 'investigation',
        state: closed ? 'closed' : 'investigation.active',
        language: 'en',
        channel: 'web',
        narrative: `${CANARY[3]} number ${planted}`,
        incident_location: CANARY[2],
        district: p.district,
        received_at: received,
        closed_at: closed,
        outcome: closed ? 'decided' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('complainants')
      .values({ complaint_id: id, role: 'complainant', name: CANARY[0], email: CANARY[1], address: CANARY[2] })
      .execute();
    for (let n = 0; n < (p.allegations ?? 1); n += 1) {
      await db()
        .insertInto('allegations')
        .values({
          complaint_id: id,
          category: p.category,
          summary: CANARY[3],
          finding: p.finding ?? null,
          decided_at: p.finding ? closed : null,
        })
        .execute();
    }
    return id;
  };
  /** The open data's rows in order, one per allegation (a published combination counts its rows). */
  const published = async () =>
    (await db().selectFrom('open_data_rows').selectAll().orderBy('sort_key').execute()).flatMap(
      ({ month, category, district, finding, days_to_close, stage, n }) =>
        Array.from({ length: n }, () => ({ month, category, district, finding, days_to_close, stage })),
    );
  const rollup = (measure: string) =>
    rollupRows(db(), { from: '2000-01-01', to: '2100-01-01' }, [measure]).then((rows) =>
      rows.map((r) => ({ month: r.month, key: r.key, count: r.count })),
    );

  before(async () => {
    ({ services } = testApp(database.handle));
    await db()
      .insertInto('districts')
      .values([
        { code: 'north', name_en: 'North', name_es: 'Norte' },
        { code: 'lonely', name_en: 'Lonely', name_es: 'Solitario' },
      ])
      .execute();
    // Six force complaints in North in March 2026 (Los Angeles time), closed in 20 days as not sustained,
    // one of them with two allegations; two discourtesy complaints in the lonely district.
    for (let i = 0; i < 6; i += 1) {
      await plant({
        district: 'north',
        category: 'force',
        receivedAt: `2026-03-${String(10 + i).padStart(2, '0')}T18:00:00Z`,
        closedAfterDays: 20,
        finding: 'not_sustained',
        allegations: i === 0 ? 2 : 1,
      });
    }
    await plant({
      district: 'lonely',
      category: 'discourtesy',
      receivedAt: '2026-03-12T18:00:00Z',
    });
    await plant({
      district: 'lonely',
      category: 'discourtesy',
      receivedAt: '2026-03-20T18:00:00Z',
      closedAfterDays: 40,
      finding: 'sustained',
    });
    // Early on 1 March UTC is still February in Los Angeles.
    await plant({ district: 'north', category: 'force', receivedAt: '2026-03-01T03:00:00Z' });
  });

  it('has no figures and no "last updated" before the first refresh', async () => {
    expect(await services.statistics.lastUpdated()).to.equal(undefined);
    expect(await rollup(MEASURES.received)).to.deep.equal([]);
  });

  it('counts complaints by month in the agency time zone, by district and by category', async () => {
    const refreshed = await services.statistics.refresh();
    expect((await services.statistics.lastUpdated())?.toISOString()).to.equal(refreshed.toISOString());
    expect(await rollup(MEASURES.received)).to.deep.equal([
      { month: '2026-02-01', key: '', count: 1 },
      { month: '2026-03-01', key: '', count: 8 },
    ]);
    const districts = await rollup(MEASURES.district);
    expect(districts.filter((r) => r.month === '2026-03-01')).to.have.deep.members([
      { month: '2026-03-01', key: 'north', count: 6 },
      { month: '2026-03-01', key: 'lonely', count: 2 },
    ]);
    // The complaint with two force allegations counts once.
    expect((await rollup(MEASURES.category)).filter((r) => r.month === '2026-03-01')).to.have.deep.members([
      { month: '2026-03-01', key: 'force', count: 6 },
      { month: '2026-03-01', key: 'discourtesy', count: 2 },
    ]);
  });

  it('counts findings per allegation and days to close per closed complaint', async () => {
    expect(await rollup(MEASURES.finding)).to.have.deep.members([
      { month: '2026-03-01', key: 'not_sustained', count: 7 },
      { month: '2026-03-01', key: 'sustained', count: 1 },
    ]);
    expect(await rollup(MEASURES.closedDays)).to.have.deep.members([
      { month: '2026-03-01', key: '20', count: 2 },
      { month: '2026-04-01', key: '20', count: 4 },
      { month: '2026-04-01', key: '40', count: 1 },
    ]);
  });

  it('publishes one open-data row per allegation, generalising combinations shared by fewer than 5 complaints', async () => {
    const rows = await published();
    expect(rows).to.have.length(10);
    const common = rows.filter((r) => r.district === 'north');
    // Six complaints share month, category, district, finding, band and stage: published as they are.
    expect(common).to.have.length(7);
    expect(new Set(common.map((r) => JSON.stringify(r)))).to.have.lengthOf(1);
    expect(common[0]).to.include({
      month: '2026-03',
      category: 'force',
      finding: 'not_sustained',
      days_to_close: '0-30',
    });
    // The two lonely complaints and the February one are each rarer than 5: nothing finer than a year.
    const rare = rows.filter((r) => r.district !== 'north');
    expect(rare).to.have.length(3);
    for (const row of rare) {
      expect(row).to.include({ district: 'suppressed', days_to_close: 'suppressed', category: 'suppressed' });
      expect(row.month).to.equal('2026');
    }
  });

  it('never copies a name, an address, an email or a narrative into what it publishes', async () => {
    const published = JSON.stringify([
      await db().selectFrom('stats_rollup').selectAll().execute(),
      await db().selectFrom('open_data_rows').selectAll().execute(),
    ]);
    for (const canary of CANARY) expect(published).not.to.contain(canary);
    expect(published).not.to.contain('OC-STAT');
  });

  it('takes a purged case away from the figures', async () => {
    await db().deleteFrom('complaints').where('district', '=', 'lonely').execute();
    await services.statistics.refresh();
    expect(await rollup(MEASURES.district)).not.to.deep.include({ month: '2026-03-01', key: 'lonely', count: 2 });
    expect(await published()).to.have.length(8);
  });

  it('tells pages of a rebuild in this process at once, and of another instance’s within a second', async () => {
    const mine = await services.statistics.refresh();
    expect((await services.statistics.recentlyUpdated())?.toISOString()).to.equal(mine.toISOString());
    // Another instance on the same database (here: a second set of services) rebuilds.
    const other = testApp(database.handle).services;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const theirs = await other.statistics.refresh();
    expect((await services.statistics.lastUpdated())?.toISOString()).to.equal(theirs.toISOString());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await services.statistics.recentlyUpdated())?.toISOString()).to.equal(theirs.toISOString());
  });

  it('runs one rebuild at a time; simultaneous refreshes all finish with the same figures', async () => {
    await Promise.all([1, 2, 3].map(() => services.statistics.refresh()));
    expect(await rollup(MEASURES.received)).to.deep.equal([
      { month: '2026-02-01', key: '', count: 1 },
      { month: '2026-03-01', key: '', count: 6 },
    ]);
  });

  it('rebuilds on the timer once across instances: fresh figures are left be (#18 item 4)', async () => {
    const done = await services.statistics.refresh();
    const other = testApp(database.handle).services;
    // Another instance's timer, minutes later: the figures are fresh, so it does not rebuild.
    other.statistics.start(60 * 60_000);
    other.statistics.stop();
    expect(await other.statistics.scheduled()).to.equal(undefined);
    expect((await other.statistics.lastUpdated())?.toISOString()).to.equal(done.toISOString());
  });

  it('gives way to a rebuild under way in another instance instead of waiting for it (PostgreSQL)', async function () {
    if (!database.handle.url) return this.skip();
    const holder = new pg.Client({ connectionString: database.handle.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtext('statistics.rebuild'))`);
      await db().deleteFrom('settings').where('key', '=', 'statistics.refreshed_at').execute();
      const started = Date.now();
      expect(await services.statistics.scheduled()).to.equal(undefined);
      expect(Date.now() - started).to.be.below(2_000);
      expect(await services.statistics.lastUpdated()).to.equal(undefined);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect(await services.statistics.scheduled()).to.be.instanceOf(Date);
  });
});
