import { expect } from 'chai';
import { sql } from 'kysely';
import { createTranslator } from '../../server/platform/i18n.js';
import { deadlineService, type DeadlineService } from '../../server/platform/deadlines/deadline.service.js';
import { mailService } from '../../server/platform/mail/mail.service.js';
import { outboxService } from '../../server/platform/mail/outbox.service.js';
import { lastDayOf } from '../../workflows/deadline.policy.js';
import { referenceCache } from '../../server/platform/reference/reference.cache.js';
import { useDatabase } from '../support/database.js';
import { complaintRow } from '../support/complaintRow.js';
import { silentLogger } from '../support/logger.js';

const DAY = 86_400_000;

describe('deadlines in the database: clocks and the sweeper', () => {
  const database = useDatabase();
  let clock: number;
  let deadlines: DeadlineService;
  let complaintId: string;
  let investigatorId: string;

  const makeService = () =>
    deadlineService({
      db: database.db,
      outbox: outboxService({
        db: database.db,
        mail: mailService({ from: 'x@example.org', captureDir: '/tmp/unused-mail' }),
        translator: createTranslator(),
        logger: silentLogger,
        agencyName: 'Test',
        messageIdDomain: 'test',
        clock: () => new Date(clock),
      }),
      logger: silentLogger,
      timeZone: 'America/Los_Angeles',
      holidayRegion: 'US-CA',
      publicBaseUrl: 'https://oversight.test',
      clock: () => new Date(clock),
      reference: referenceCache(database.db),
    });

  before(async () => {
    const db = database.db;
    const user = async (email: string, role: 'investigator' | 'supervisor', language: 'en' | 'es') => {
      const { id } = await db
        .insertInto('users')
        .values({ email, display_name: email, password_hash: 'x', language })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('user_roles').values({ user_id: id, role }).execute();
      return id;
    };
    const investigator = (investigatorId = await user('inv@example.org', 'investigator', 'es'));
    await user('sup@example.org', 'supervisor', 'en');
    ({ id: complaintId } = await db
      .insertInto('complaints')
      .values(complaintRow('OC-TEST-2345'))
      .returning('id')
      .executeTakeFirstOrThrow());
    await db.insertInto('assignments').values({ complaint_id: complaintId, user_id: investigator }).execute();
  });

  beforeEach(async () => {
    clock = Date.parse('2026-11-02T18:00:00Z');
    deadlines = makeService();
    await database.db.deleteFrom('deadlines').execute();
    await database.db.deleteFrom('outbox').execute();
  });

  const rows = () => database.db.selectFrom('deadlines').selectAll().orderBy('created_at').execute();
  const mails = () =>
    database.db.selectFrom('outbox').select(['recipient', 'template', 'language']).orderBy('recipient').execute();
  const start = (kind: 'investigation' | 'acknowledge' = 'investigation') =>
    database.db
      .transaction()
      .execute((trx) => deadlines.start(trx, complaintId, [{ kind, from: new Date(clock) }], new Date(clock)));

  it('a started clock is due at local midnight after its last day, and next checked at its warning', async () => {
    await start();
    const [row] = await rows();
    expect(row!.due_at.toISOString()).to.equal('2027-05-02T07:00:00.000Z'); // 180 days, midnight PDT
    expect(row!.warn_at!.toISOString()).to.equal('2027-04-01T07:00:00.000Z'); // 30 days before the last day
    expect(row!.next_check_at!.toISOString()).to.equal(row!.warn_at!.toISOString());
  });

  it('keeps the facts of the running clocks on the case, in the same transaction as each change (#18)', async () => {
    const facts = async () => {
      const c = await database.db
        .selectFrom('complaints')
        .select(['next_due_at', 'clock_breached', 'clock_warned', 'clock_tolled'])
        .where('id', '=', complaintId)
        .executeTakeFirstOrThrow();
      return { next: c.next_due_at?.toISOString() ?? null, b: c.clock_breached, w: c.clock_warned, t: c.clock_tolled };
    };
    const at = (ms: number) => new Date(ms);
    await start('investigation');
    const investigationDue = (await rows())[0]!.due_at.toISOString();
    expect(await facts()).to.deep.equal({ next: investigationDue, b: false, w: false, t: false });
    await start('acknowledge');
    const acknowledgeDue = (await rows())[1]!.due_at.toISOString();
    expect(await facts()).to.deep.equal({ next: acknowledgeDue, b: false, w: false, t: false });
    await database.db.transaction().execute((trx) => deadlines.stop(trx, complaintId, 'acknowledge', at(clock + DAY)));
    expect(await facts()).to.deep.equal({ next: investigationDue, b: false, w: false, t: false });
    clock = Date.parse('2027-04-01T07:00:00Z');
    expect((await deadlines.sweep()).warned).to.equal(1);
    expect(await facts()).to.deep.equal({ next: investigationDue, b: false, w: true, t: false });
    await database.db.transaction().execute((trx) => deadlines.pause(trx, complaintId, at(clock), 'written_waiver'));
    expect(await facts()).to.deep.equal({ next: null, b: false, w: false, t: true });
    await database.db.transaction().execute((trx) => deadlines.resume(trx, complaintId, at(clock + 10 * DAY)));
    const moved = (await rows())[0]!.due_at.toISOString();
    expect(moved > investigationDue).to.equal(true);
    expect(await facts()).to.deep.equal({ next: moved, b: false, w: true, t: false });
    clock = Date.parse('2027-06-01T07:00:00Z');
    expect((await deadlines.sweep()).breached).to.equal(1);
    expect(await facts()).to.deep.equal({ next: moved, b: true, w: false, t: false });
    // A clock that breached and then stopped no longer runs: nothing is due, nothing overdue.
    await database.db.transaction().execute((trx) => deadlines.stop(trx, complaintId, 'investigation', at(clock)));
    expect(await facts()).to.deep.equal({ next: null, b: false, w: false, t: false });
  });

  it('warns the investigator, then flags the breach to the investigator and supervisors, once each', async () => {
    await start();
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 0 });
    clock = Date.parse('2027-04-01T07:00:00Z');
    expect(await deadlines.sweep()).to.deep.equal({ warned: 1, breached: 0 });
    expect(await mails()).to.deep.equal([
      { recipient: 'inv@example.org', template: 'deadlineWarning', language: 'es' },
    ]);
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 0 });
    clock = Date.parse('2027-05-02T07:00:00Z');
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 1 });
    expect((await mails()).filter((m) => m.template === 'deadlineBreached')).to.deep.equal([
      { recipient: 'inv@example.org', template: 'deadlineBreached', language: 'es' },
      { recipient: 'sup@example.org', template: 'deadlineBreached', language: 'en' },
    ]);
    expect((await rows())[0]).to.include({ status: 'breached', next_check_at: null });
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 0 });
  });

  it('a clock stopped in time is met; one stopped late stays breached', async () => {
    await start('investigation');
    await start('acknowledge');
    await database.db
      .transaction()
      .execute((trx) => deadlines.stop(trx, complaintId, 'investigation', new Date(clock + DAY)));
    await database.db
      .transaction()
      .execute((trx) => deadlines.stop(trx, complaintId, 'acknowledge', new Date(clock + 30 * DAY)));
    const byKind = Object.fromEntries((await rows()).map((r) => [r.kind, r]));
    expect(byKind['investigation']).to.include({ status: 'met', next_check_at: null });
    expect(byKind['acknowledge']).to.include({ status: 'breached', next_check_at: null });
  });

  it('tolling stops the sweeper from looking and moves the due time by the days paused', async () => {
    await start();
    const before = (await rows())[0]!.due_at;
    await database.db
      .transaction()
      .execute((trx) => deadlines.pause(trx, complaintId, new Date(clock + 10 * DAY), 'criminal_proceedings'));
    expect((await rows())[0]).to.include({ next_check_at: null, tolled_reason: 'criminal_proceedings' });
    clock += 400 * DAY;
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 0 });
    await database.db
      .transaction()
      .execute((trx) => deadlines.resume(trx, complaintId, new Date(Date.parse('2026-11-02T18:00:00Z') + 52 * DAY)));
    const after = (await rows())[0]!;
    expect(after.tolled_at).to.equal(null);
    expect(Math.round((after.due_at.getTime() - before.getTime()) / DAY)).to.equal(42);
  });

  it('a breached clock stays breached when the case is tolled, and a tolled clock is judged when it stopped', async () => {
    await start('acknowledge'); // 5 business days
    clock += 30 * DAY;
    expect((await deadlines.sweep()).breached).to.equal(1);
    await database.db
      .transaction()
      .execute((trx) => deadlines.pause(trx, complaintId, new Date(clock), 'written_waiver'));
    expect((await rows())[0]).to.include({ status: 'breached', tolled_at: null });

    await database.db.deleteFrom('deadlines').execute();
    clock = Date.parse('2026-11-02T18:00:00Z');
    await start('investigation');
    const due = (await rows())[0]!.due_at.getTime();
    await database.db
      .transaction()
      .execute((trx) => deadlines.pause(trx, complaintId, new Date(clock + DAY), 'written_waiver'));
    await database.db
      .transaction()
      .execute((trx) => deadlines.stop(trx, complaintId, 'investigation', new Date(due + 10 * DAY)));
    expect((await rows())[0]).to.include({ status: 'met' });
  });

  it('warns the supervisors when a case has no investigator yet', async () => {
    await database.db.updateTable('assignments').set({ ended_at: new Date() }).execute();
    await start('acknowledge');
    clock = (await rows())[0]!.warn_at!.getTime();
    expect((await deadlines.sweep()).warned).to.equal(1);
    expect(await mails()).to.deep.equal([
      { recipient: 'sup@example.org', template: 'deadlineWarning', language: 'en' },
    ]);
    await database.db.updateTable('assignments').set({ ended_at: null }).execute();
  });

  it('reads only due rows, and two sweepers never handle the same row', async () => {
    await sql`
      insert into deadlines (complaint_id, kind, starts_at, due_at, next_check_at)
      select ${complaintId}, 'triage', now(), now() + interval '30 days', now() + interval '20 days'
        from generate_series(1, 2000)`.execute(database.db);
    await sql`
      insert into deadlines (complaint_id, kind, starts_at, due_at, next_check_at)
      select ${complaintId}, 'triage', now() - interval '40 days', now() - interval '1 day', now() - interval '1 day'
        from generate_series(1, 150)`.execute(database.db);
    clock = Date.now();
    const other = makeService();
    const [a, b] = await Promise.all([deadlines.sweep(), other.sweep()]);
    expect(a.breached + b.breached).to.equal(150);
    expect(a.warned + b.warned).to.equal(0);
    const breachMails = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('template', '=', 'deadlineBreached')
      .executeTakeFirstOrThrow();
    expect(Number(breachMails.n)).to.equal(300); // investigator and supervisor, once per row
  });

  // The sweep writes its mail in SQL (#18): the same messages as lastDayOf and the templates' data.
  it('queues each message with the case, the clock, its last day in the agency’s zone and the case’s page', async () => {
    await start('investigation'); // due at midnight PDT
    await start('acknowledge'); // due at midnight PST
    clock = Date.parse('2027-06-01T07:00:00Z');
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 2 });
    const queued = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'template', 'language', 'data', 'next_attempt_at', 'status'])
      .where('recipient', '=', 'inv@example.org')
      .execute();
    const dueOf = Object.fromEntries((await rows()).map((r) => [r.kind, r.due_at]));
    type Data = { trackingNumber: string; deadline: string; dueDate: string; caseUrl: string };
    const data = queued.map((m) => m.data as Data).sort((a, b) => a.deadline.localeCompare(b.deadline));
    expect(data).to.deep.equal(
      ['acknowledge', 'investigation'].map((kind) => ({
        trackingNumber: 'OC-TEST-2345',
        deadline: kind,
        dueDate: lastDayOf(dueOf[kind]!, 'America/Los_Angeles'),
        caseUrl: `https://oversight.test/staff/cases/${complaintId}`,
      })),
    );
    // The last days themselves: five business days on (in PST), and 180 days on (in PDT).
    expect(data.map((d) => d.dueDate)).to.deep.equal(['2026-11-09', '2027-05-01']);
    for (const m of queued) {
      expect(m).to.include({ template: 'deadlineBreached', language: 'es', status: 'pending' });
      expect(m.next_attempt_at.getTime()).to.equal(clock);
    }
  });

  it('writes once to an investigator who is also a supervisor, and not to a disabled one', async () => {
    await database.db.insertInto('user_roles').values({ user_id: investigatorId, role: 'supervisor' }).execute();
    await start();
    clock = Date.parse('2027-05-02T07:00:00Z');
    expect((await deadlines.sweep()).breached).to.equal(1);
    expect(await mails()).to.deep.equal([
      { recipient: 'inv@example.org', template: 'deadlineBreached', language: 'es' },
      { recipient: 'sup@example.org', template: 'deadlineBreached', language: 'en' },
    ]);
    await database.db
      .deleteFrom('user_roles')
      .where('user_id', '=', investigatorId)
      .where('role', '=', 'supervisor')
      .execute();

    await database.db.deleteFrom('deadlines').execute();
    await database.db.deleteFrom('outbox').execute();
    await database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', investigatorId).execute();
    clock = Date.parse('2026-11-02T18:00:00Z');
    await start();
    clock = Date.parse('2027-04-01T07:00:00Z');
    expect((await deadlines.sweep()).warned).to.equal(1);
    expect(await mails()).to.deep.equal([
      { recipient: 'sup@example.org', template: 'deadlineWarning', language: 'en' },
    ]);
    await database.db.updateTable('users').set({ disabled_at: null }).where('id', '=', investigatorId).execute();
  });

  it('takes every due clock, batch after batch, when more cases are due than one batch holds', async () => {
    const cases = 1_001; // the batch is 1,000 cases' clocks
    await sql`
      insert into complaints (tracking_number, access_code_hash, snapshot, machine_version, stage, state, language,
                              channel, narrative)
      select 'OC-BATCH-' || g, 'h', '{}', 1, 'intake', 'intake.received', 'en', 'web', 'n'
        from generate_series(1, ${cases}) g`.execute(database.db);
    await sql`
      insert into deadlines (complaint_id, kind, starts_at, due_at, next_check_at)
      select id, 'acknowledge', now() - interval '3 days', now() + interval '2 days', now() - interval '1 second'
        from complaints where tracking_number like 'OC-BATCH-%'`.execute(database.db);
    clock = Date.now();
    expect(await deadlines.sweep()).to.deep.equal({ warned: cases, breached: 0 });
    const warnedCases = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tracking_number', 'like', 'OC-BATCH-%')
      .where('clock_warned', '=', true)
      .executeTakeFirstOrThrow();
    expect(Number(warnedCases.n)).to.equal(cases);
    // No investigator yet: each warning goes to the supervisors.
    expect((await mails()).filter((m) => m.recipient === 'sup@example.org')).to.have.length(cases);
    expect(await deadlines.sweep()).to.deep.equal({ warned: 0, breached: 0 });
    await database.db.deleteFrom('complaints').where('tracking_number', 'like', 'OC-BATCH-%').execute();
  });
});
