import { expect } from 'chai';
import { sql } from 'kysely';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { TOKEN_LIFETIME_DAYS } from '../../server/features/accounts/apiToken.service.js';
import { COUNT_CAP, queuePage } from '../../server/features/cases/caseQueue.repository.js';
import { tokenInForce } from '../../server/features/accounts/apiToken.repository.js';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { dueSoonLimit } from '../../server/platform/deadlines/deadlineBadge.js';
import type { Stage } from '../../server/platform/db/schema.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { testConfig } from '../support/app.js';
import { databaseKind, useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { createStaff } from '../support/staff.js';
import { counted, describeStatements, statementCounter, type Statement } from '../support/statementCounter.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const UNAUTHORISED = { status: 401, code: 'unauthorized' };

/**
 * The staff API's queue at agency scale (#18): a token this process authenticated in the last
 * minute is recalled without a lookup, and the queue's one statement checks it, so revoking,
 * expiring, disabling and changing roles still count on the very next request, whichever instance
 * made the change. The page and its count capped at COUNT_CAP come in that same statement.
 */
describe('GET /api/v1/cases: one statement per request, the token checked in it', () => {
  const database = useDatabase({ demo: true });
  const counter = statementCounter();
  let services: Services;
  let app: ReturnType<typeof createApp>;
  let offset = 0;
  let adminId: string;

  before(async () => {
    const translator = createTranslator();
    const config = testConfig();
    services = buildServices({
      config,
      database: counted(database.handle, counter),
      translator,
      logger: silentLogger,
      now: () => new Date(Date.now() + offset),
    });
    app = createApp({ config, logger: silentLogger, translator, services });
    const admin = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'admin@example.org')
      .executeTakeFirstOrThrow();
    adminId = admin.id;
  });

  beforeEach(() => {
    offset = 0;
  });

  /** A collected token for a new member of staff with these roles. */
  const tokenFor = async (roles: Parameters<typeof createStaff>[1]) => {
    const staff = await createStaff(database.db, roles);
    const { id } = await services.apiTokens.issue(adminId, { userId: staff.id, name: `Script ${roles.join(' ')}` });
    const collected = await services.apiTokens.collect(staff.id, id);
    if (collected.outcome !== 'collected') throw new Error(collected.outcome);
    return { token: collected.token, tokenId: id, userId: staff.id };
  };
  const get = (token: string, path = '/api/v1/cases') => request(app).get(path).set('Authorization', `Bearer ${token}`);
  /** The queue's page (with its count), its count alone, or another statement by kind and table. */
  const label = (s: Statement) => {
    if (/\bfrom complaints c\b/.test(s.sql)) return /\blimit \S+ offset \S+/.test(s.sql) ? 'queue page' : 'queue count';
    return `${s.kind} ${s.table ?? '-'}`;
  };
  /** The answer to a request and the statements it ran. */
  const measured = async (token: string, path?: string) => {
    const { result, statements } = await counter.measure(() => get(token, path));
    return { res: result, statements, tables: statements.map(label) };
  };

  it('reads a known token’s page in one statement, which checks the token; the first request looks it up', async () => {
    const { token } = await tokenFor(['supervisor']);
    const first = await measured(token);
    expect(first.res.status).to.equal(200);
    // The lookup (token, user and roles together), the first use written, the page with its count.
    expect(first.tables, describeStatements(first.statements)).to.deep.equal([
      'select api_tokens',
      'update api_tokens',
      'queue page',
    ]);
    const second = await measured(token);
    expect(second.res.status).to.equal(200);
    expect(second.tables, describeStatements(second.statements)).to.deep.equal(['queue page']);
    expect(second.statements[0]!.sql).to.contain('api_tokens').and.to.contain('user_roles');
    expect(second.res.body).to.deep.equal(first.res.body);
  });

  it('refuses a known token at once once an admin revokes it, or another instance does in the database', async () => {
    for (const revoke of [
      (t: { tokenId: string }) => services.apiTokens.revoke(adminId, t.tokenId),
      (t: { tokenId: string }) =>
        database.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', t.tokenId).execute(),
    ]) {
      const known = await tokenFor(['supervisor']);
      await get(known.token).expect(200);
      await revoke(known);
      const refused = await get(known.token).expect(401);
      expect(refused.body.error).to.include(UNAUTHORISED);
      expect(refused.headers['www-authenticate']).to.contain('invalid_token');
      await get(known.token).expect(401);
    }
  });

  it('refuses a known token at once when its user is disabled, also when the page would be empty', async () => {
    for (const path of ['/api/v1/cases', '/api/v1/cases?trackingNumber=OC-2222-2222']) {
      const known = await tokenFor(['supervisor']);
      await get(known.token, path).expect(200);
      await database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', known.userId).execute();
      expect((await get(known.token, path).expect(401)).body.error).to.include(UNAUTHORISED);
    }
  });

  it('answers a refused query from a known token that was revoked meanwhile with 401, not 400', async () => {
    const known = await tokenFor(['supervisor']);
    await get(known.token).expect(200);
    await get(known.token, '/api/v1/cases?stage=nowhere').expect(400);
    await database.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', known.tokenId)
      .execute();
    await get(known.token, '/api/v1/cases?stage=nowhere').expect(401);
  });

  it("acts with the user's roles of the moment: a changed role applies on the next request (R12)", async () => {
    const known = await tokenFor(['supervisor']);
    const all = await get(known.token).expect(200);
    expect(all.body.total).to.be.greaterThan(0);
    await database.db
      .updateTable('user_roles')
      .set({ role: 'investigator' })
      .where('user_id', '=', known.userId)
      .execute();
    // The check fails (the page, then the count and check alone), the token is looked up again, and
    // the page is read for an investigator.
    const mine = await measured(known.token);
    expect(mine.res.status).to.equal(200);
    expect(mine.res.body).to.include({ total: 0, totalCapped: false });
    expect(mine.tables).to.deep.equal(['queue page', 'queue count', 'select api_tokens', 'queue page']);
    await database.db.insertInto('user_roles').values({ user_id: known.userId, role: 'supervisor' }).execute();
    expect((await get(known.token).expect(200)).body.total).to.equal(all.body.total);
    await database.db.deleteFrom('user_roles').where('user_id', '=', known.userId).execute();
    expect((await get(known.token).expect(200)).body.total).to.equal(0);
  });

  it('refuses a known token once its 90 days are over, between two lookups', async () => {
    const known = await tokenFor(['supervisor']);
    offset = TOKEN_LIFETIME_DAYS * DAY_MS - 30_000;
    await get(known.token).expect(200);
    offset += 40_000;
    await get(known.token).expect(401);
  });

  it('writes the last use at most once a minute while the token is recalled', async () => {
    const known = await tokenFor(['supervisor']);
    const lastUsed = async () =>
      (
        await database.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', known.tokenId)
          .executeTakeFirstOrThrow()
      ).last_used_at!.getTime();
    await get(known.token).expect(200);
    const first = await lastUsed();
    offset = 30_000;
    await get(known.token).expect(200);
    expect(await lastUsed()).to.equal(first);
    offset = 61_000;
    await get(known.token).expect(200);
    expect(await lastUsed()).to.be.at.least(first + 60_000);
  });

  describe('the count, capped at 1,000, and "overdue" counted in parts', () => {
    const zone = 'zone-q';
    const now = Date.now();
    /** Open or closed cases in the test's own district, with these clock facts. */
    const facts = [
      { breached: false, due: -5, stage: 'investigation' },
      { breached: false, due: -1, stage: 'intake' },
      { breached: true, due: -3, stage: 'investigation' },
      { breached: true, due: 4, stage: 'investigation' },
      { breached: true, due: null, stage: 'mediation' },
      { breached: false, due: 4, stage: 'investigation' },
      { breached: false, due: null, stage: 'investigation' },
      { breached: true, due: -2, stage: 'closed' },
      { breached: false, due: -2, stage: 'closed' },
    ] as const;
    let supervisor: string;

    /** Copies of one demo complaint, with these tracking numbers, stages and clock facts. */
    const insertCases = async (
      rows: ReadonlyArray<{ number: string; stage: Stage; breached: boolean; dueAt: Date | null; district: string }>,
    ) => {
      const template = await database.db
        .selectFrom('complaints')
        .selectAll()
        .where('stage', '=', 'investigation')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < rows.length; i += 500) {
        await database.db
          .insertInto('complaints')
          .values(
            rows.slice(i, i + 500).map((r) => ({
              tracking_number: r.number,
              access_code_hash: template.access_code_hash,
              snapshot: JSON.stringify(template.snapshot),
              machine_version: template.machine_version,
              stage: r.stage,
              state: template.state,
              language: template.language,
              channel: template.channel,
              narrative: 'A copy for the queue’s count.',
              district: r.district,
              received_at: new Date(now - DAY_MS),
              public_history: JSON.stringify(template.public_history),
              next_due_at: r.dueAt,
              clock_breached: r.breached,
            })),
          )
          .execute();
      }
    };

    before(async () => {
      await sql`insert into districts (code, name_en, name_es) values (${zone}, 'Zone Q', 'Zona Q'),
        ('zone-r', 'Zone R', 'Zona R'), ('zone-empty', 'Empty', 'Vacía')`.execute(database.db);
      await insertCases(
        facts.map((f, i) => ({
          number: `OC-QQQQ-QQQ${'23456789ABC'[i]}`,
          stage: f.stage,
          breached: f.breached,
          dueAt: f.due === null ? null : new Date(now + f.due * DAY_MS),
          district: zone,
        })),
      );
      // More than the cap of overdue cases in another district, though fewer in each part of the count:
      // a past due time, or a breach without one.
      await insertCases(
        Array.from({ length: COUNT_CAP + 30 }, (_, i) => ({
          number: `OC-RRRR-${String(i).padStart(4, '0')}`,
          stage: 'investigation' as const,
          breached: i % 5 === 0,
          dueAt: i % 5 === 0 ? null : new Date(now - (i + 1) * 60_000),
          district: 'zone-r',
        })),
      );
      supervisor = (await tokenFor(['supervisor'])).token;
    });

    it('counts overdue cases exactly as the badge says: a breach, or a past due time, of an open case', async () => {
      const overdue = facts.filter((f) => f.stage !== 'closed' && (f.breached || (f.due !== null && f.due < 0)));
      const res = await get(supervisor, `/api/v1/cases?overdue=true&district=${zone}`).expect(200);
      expect(res.body).to.include({ total: overdue.length, totalCapped: false });
      expect(res.body.items.map((i: { badge: string }) => i.badge)).to.deep.equal(overdue.map(() => 'overdue'));
      const stage = await get(supervisor, `/api/v1/cases?overdue=true&district=${zone}&stage=investigation`);
      expect(stage.body.total).to.equal(overdue.filter((f) => f.stage === 'investigation').length);
      const closedToo = await get(supervisor, `/api/v1/cases?overdue=true&district=${zone}&open=false`);
      expect(closedToo.body.total).to.equal(overdue.length);
      // Two badges: one condition, as before.
      const either = await get(supervisor, `/api/v1/cases?overdue=true&dueSoon=true&district=${zone}`).expect(200);
      expect(either.body.total).to.equal(overdue.length + 1);
    });

    it('gives each category once, in the categories’ order, and on the staff page their names in that order', async () => {
      await sql`insert into allegation_categories (code, name_en, name_es, position)
        values ('zz_first', 'First', 'Primera', -2), ('aa_second', 'Second', 'Segunda', -1)`.execute(database.db);
      const number = 'OC-QQQQ-QQQ7';
      const { id } = await database.db
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', number)
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('allegations')
        .values(['aa_second', 'zz_first', 'aa_second'].map((category) => ({ complaint_id: id, category })))
        .execute();
      const res = await get(supervisor, `/api/v1/cases?trackingNumber=${number}`).expect(200);
      expect(res.body.items.map((i: { categories: string[] }) => i.categories)).to.deep.equal([
        ['zz_first', 'aa_second'],
      ]);
      const viewer = { userId: adminId, roles: ['supervisor' as const] };
      const page = await services.caseQueue.page(viewer, { trackingNumber: number }, 'es');
      expect(page.items.map((i) => [i.categories, i.categoryNames, i.districtName])).to.deep.equal([
        [['zz_first', 'aa_second'], ['Primera', 'Segunda'], 'Zona Q'],
      ]);
    });

    it('stops counting past 1,000 and reads no page past them; a page past the end still counts', async () => {
      const first = await get(supervisor, '/api/v1/cases?overdue=true&district=zone-r').expect(200);
      expect(first.body).to.include({ total: COUNT_CAP, totalCapped: true, page: 1 });
      expect(first.body.items).to.have.length(25);
      const last = await get(supervisor, '/api/v1/cases?overdue=true&district=zone-r&page=40').expect(200);
      expect(last.body).to.include({ total: COUNT_CAP, totalCapped: true });
      expect(last.body.items).to.have.length(25);
      const past = await measured(supervisor, '/api/v1/cases?overdue=true&district=zone-r&page=41');
      expect(past.res.body).to.deep.include({ items: [], total: COUNT_CAP, totalCapped: true, page: 41 });
      expect(past.tables).to.deep.equal(['queue count']);
      const beyond = await get(supervisor, `/api/v1/cases?overdue=true&district=${zone}&page=2`).expect(200);
      expect(beyond.body).to.deep.include({ items: [], total: 5, totalCapped: false });
      const none = await measured(supervisor, '/api/v1/cases?district=zone-empty');
      expect(none.res.body).to.deep.include({ items: [], total: 0, totalCapped: false });
      // An empty page does not show whether the token still holds: the count's statement checks it.
      expect(none.tables).to.deep.equal(['queue page', 'queue count']);
    });
  });
});

/** #18: the queue's first page is planned once per connection, not on every request. */
describe('the queue’s statement on PostgreSQL', function () {
  let one: DatabaseHandle | undefined;
  // Closed before the database is dropped (hooks run in the order they are declared).
  after(async () => {
    await one?.close();
  });
  const database = useDatabase({ demo: true });

  before(async function () {
    if (databaseKind !== 'postgres') return this.skip();
    // One connection, so the session that prepared is the one asked.
    one = await openDatabase({ databaseUrl: database.handle.url!, logger: silentLogger, poolSize: 1 });
  });

  it('is prepared once, and planned once for every token and time (a generic plan)', async () => {
    const supervisor = await database.db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select('u.id')
      .where('r.role', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    const viewer = { userId: supervisor.id, roles: ['supervisor' as const] };
    const token = await database.db
      .insertInto('api_tokens')
      .values({
        user_id: supervisor.id,
        name: 'Planned once',
        issued_by: supervisor.id,
        token_hash: 'not-a-real-hash',
        collected_at: new Date(),
        expires_at: new Date(Date.now() + DAY_MS),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const query = { badges: [], untriaged: false, openOnly: true, limit: 25, offset: 0, names: false };
    for (let i = 0; i < 8; i++) {
      const at = new Date(Date.now() + i * 1000);
      const page = await queuePage(
        one!.db,
        viewer,
        query,
        at,
        dueSoonLimit(at),
        tokenInForce({ tokenId: token.id, ...viewer }, at),
      );
      expect(page.checked).to.equal(true);
      expect(page.rows).to.have.length(25);
    }
    const { rows } = await sql<{ statement: string; generic_plans: number }>`
      select statement, generic_plans from pg_prepared_statements where statement like '%from complaints c%'`.execute(
      one!.db,
    );
    expect(rows).to.have.length(1);
    // A LIMIT or OFFSET sent as a value would have PostgreSQL plan it again on every call at scale.
    expect(rows[0]!.statement).to.match(/\blimit 25 offset 0$/);
    expect(Number(rows[0]!.generic_plans)).to.be.greaterThan(0);
  });
});
