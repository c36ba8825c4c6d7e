import { sql } from 'kysely';
import { expect } from 'chai';
import fc from 'fast-check';
import { createTranslator } from '../../server/platform/i18n.js';
import { services, type Services } from '../../server/compose.js';
import {
  ComplaintNotFound,
  ConflictError,
  ForbiddenEvent,
  type DispatchEvent,
} from '../../server/platform/workflow/workflow.service.js';
import { EVENT_TYPES, probeEvent, type Actor } from '../../workflows/complaint.permissions.js';
import { IllegalTransition, advance, persist, restore, startComplaint } from '../../workflows/complaint.snapshot.js';
import type { ComplaintEvent } from '../../workflows/complaint.types.js';
import { putSetting } from '../../server/platform/db/settings.repository.js';
import { testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';

describe('workflow dispatch: one transition, one transaction', () => {
  const database = useDatabase();
  let svc: Services;
  const people: Record<string, string> = {};
  let serial = 0;

  const staff = (
    name: string,
    roles: Array<'intake' | 'investigator' | 'supervisor' | 'board' | 'admin'>,
    assigned = false,
  ): Actor => ({
    kind: 'staff',
    userId: people[name]!,
    roles,
    assignedToCase: assigned,
  });
  const intake = () => staff('intake', ['intake']);
  const supervisor = () => staff('supervisor', ['supervisor']);

  before(async () => {
    svc = services({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    for (const [name, role] of [
      ['intake', 'intake'],
      ['supervisor', 'supervisor'],
      ['investigator', 'investigator'],
    ] as const) {
      const { id } = await database.db
        .insertInto('users')
        .values({ email: `${name}@example.org`, display_name: name, password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db.insertInto('user_roles').values({ user_id: id, role }).execute();
      people[name] = id;
    }
  });

  async function file(options: { email?: string; language?: 'en' | 'es' } = {}): Promise<string> {
    serial++;
    return database.db.transaction().execute((trx) =>
      svc.workflow.create(
        trx,
        {
          tracking_number: `OC-TEST-${String(serial).padStart(6, '0')}`,
          access_code_hash: 'h',
          language: options.language ?? 'en',
          channel: 'web',
          narrative: 'What happened.',
          anonymous: !options.email,
        },
        {
          actor: { kind: 'complainant' },
          within: async (t, id) => {
            if (options.email) {
              await t
                .insertInto('complainants')
                .values({
                  complaint_id: id,
                  role: 'complainant',
                  email: options.email,
                  preferred_language: options.language ?? 'en',
                })
                .execute();
            }
          },
        },
      ),
    );
  }

  const counts = async (id: string) => ({
    version: (
      await database.db.selectFrom('complaints').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    ).version,
    audit: (await database.db.selectFrom('audit_events').select('id').where('object_id', '=', id).execute()).length,
    outbox: (await database.db.selectFrom('outbox').select('id').execute()).length,
    deadlines: (
      await database.db.selectFrom('deadlines').select(['id', 'status']).where('complaint_id', '=', id).execute()
    ).length,
  });

  const transitionsOf = (id: string) =>
    database.db
      .selectFrom('audit_events')
      .select('details')
      .where('object_id', '=', id)
      .where('event_type', '=', 'complaint.transition')
      .orderBy('id')
      .execute();

  async function replay(id: string) {
    const rows = await transitionsOf(id);
    let snapshot = startComplaint().snapshot;
    for (const { details } of rows) {
      const { event, from: _from, to: _to, version: _version, ...payload } = details as Record<string, string>;
      snapshot = advance(snapshot, { type: event, ...payload } as unknown as ComplaintEvent).snapshot;
    }
    return persist(snapshot);
  }

  it('creates a complaint: initial state, audit row, statutory and acknowledgement clocks, a receipt email', async () => {
    const id = await file({ email: 'resident@example.com', language: 'es' });
    const row = await database.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).to.include({ stage: 'intake', state: 'intake.received', version: 0 });
    const clocks = await database.db
      .selectFrom('deadlines')
      .select(['kind', 'status'])
      .where('complaint_id', '=', id)
      .execute();
    expect(clocks.map((c) => c.kind).sort()).to.deep.equal(['acknowledge', 'statutory']);
    const mail = await database.db.selectFrom('outbox').select(['recipient', 'template', 'language']).execute();
    expect(mail).to.deep.include({ recipient: 'resident@example.com', template: 'complaintReceived', language: 'es' });
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_type'])
      .where('object_id', '=', id)
      .execute();
    expect(audit).to.deep.equal([{ event_type: 'complaint.create', actor_type: 'public' }]);
  });

  it('the statutory clock counts from discovery, or from the incident when the agency says so', async () => {
    const statutoryDue = async (id: string) =>
      (
        await database.db
          .selectFrom('deadlines')
          .select('due_at')
          .where('complaint_id', '=', id)
          .where('kind', '=', 'statutory')
          .executeTakeFirstOrThrow()
      ).due_at.toISOString();
    const fileOn = (discovered: string, incident: string) =>
      database.db.transaction().execute((trx) =>
        svc.workflow.create(
          trx,
          {
            tracking_number: `OC-STAT-${++serial}`,
            access_code_hash: 'h',
            language: 'en',
            channel: 'web',
            narrative: 'n',
            discovered_on: discovered,
            incident_date: incident,
          },
          { actor: { kind: 'complainant' } },
        ),
      );
    const byDiscovery = await fileOn('2026-02-10', '2026-01-05');
    expect(await statutoryDue(byDiscovery)).to.equal('2027-02-11T08:00:00.000Z'); // one year, local midnight
    await putSetting(database.db, 'statutory_basis', 'incident');
    await database.db
      .insertInto('deadline_policies')
      .values({ kind: 'statutory', amount: 18, unit: 'months', warn_before_days: 60, statutory: true })
      .execute();
    const byIncident = await fileOn('2026-02-10', '2026-01-05');
    expect(await statutoryDue(byIncident)).to.equal('2027-07-06T07:00:00.000Z'); // 18 months from the incident
    await database.db.deleteFrom('deadline_policies').execute();
    await database.db.deleteFrom('settings').execute();
  });

  it('keeps free text out of the audit chain: a reopening reason is not recorded there (R2)', async () => {
    const id = await file();
    await svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, intake());
    await svc.workflow.dispatch(id, { type: 'DISMISS', reason: 'duplicate' }, intake());
    await svc.workflow.dispatch(id, { type: 'REOPEN', reason: 'Mrs Example called with a video' }, supervisor());
    const details = await transitionsOf(id);
    expect(details[1]!.details).to.include({ event: 'DISMISS', reason: 'duplicate' });
    expect(JSON.stringify(details[2]!.details)).not.to.contain('Mrs Example');
  });

  it('an anonymous complaint sends no email', async () => {
    const before = (await database.db.selectFrom('outbox').select('id').execute()).length;
    await file();
    expect((await database.db.selectFrom('outbox').select('id').execute()).length).to.equal(before);
  });

  it('a legal event advances the state, the version, the clocks, the audit trail and tells the resident', async () => {
    const id = await file({ email: 'r2@example.com' });
    const result = await svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, intake(), { expectedVersion: 0 });
    expect(result).to.deep.equal({ state: 'intake.triage', version: 1 });
    const clocks = await database.db
      .selectFrom('deadlines')
      .select(['kind', 'status'])
      .where('complaint_id', '=', id)
      .execute();
    expect(clocks.find((c) => c.kind === 'acknowledge')!.status).to.equal('met');
    expect(clocks.find((c) => c.kind === 'triage')!.status).to.equal('open');
    const mail = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'template'])
      .where('recipient', '=', 'r2@example.com')
      .execute();
    expect(mail.map((m) => m.template)).to.deep.equal(['complaintReceived', 'stageChanged']);
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['details', 'actor_id'])
      .where('object_id', '=', id)
      .where('event_type', '=', 'complaint.transition')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).to.equal(people['intake']);
    expect(audit.details).to.include({
      event: 'BEGIN_TRIAGE',
      from: 'intake.received',
      to: 'intake.triage',
      version: 1,
    });
  });

  it('fails the transition when its audit row cannot be written, and changes nothing (R3)', async () => {
    const id = await file({ email: 'r3-audit@example.com' });
    const before = await counts(id);
    // A fault in the audit table itself (a full disk, a broken constraint): every insert fails.
    await sql`create function audit_refuses() returns trigger language plpgsql as $$
      begin raise exception 'audit unavailable'; end $$`.execute(database.db);
    await sql`create trigger audit_refuses before insert on audit_events
      for each row execute function audit_refuses()`.execute(database.db);
    try {
      const error = await svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, intake()).catch((e: Error) => e);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain('audit unavailable');
    } finally {
      await sql`drop trigger audit_refuses on audit_events`.execute(database.db);
      await sql`drop function audit_refuses()`.execute(database.db);
    }
    expect(await counts(id)).to.deep.equal(before);
    const row = await database.db
      .selectFrom('complaints')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.state).to.equal('intake.received');
  });

  it('refuses an actor the role table does not allow, an event the machine does not allow, a stale version and a missing case, changing nothing', async () => {
    const id = await file({ email: 'r3@example.com' });
    await svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, intake());
    const before = await counts(id);
    const attempts: Array<[() => Promise<unknown>, new (...args: never[]) => Error]> = [
      [() => svc.workflow.dispatch(id, { type: 'ACCEPT' }, staff('investigator', ['investigator'])), ForbiddenEvent],
      [() => svc.workflow.dispatch(id, { type: 'ACCEPT' }, { kind: 'complainant' }), ForbiddenEvent],
      [() => svc.workflow.dispatch(id, { type: 'OPEN_VOTING' }, supervisor()), IllegalTransition],
      [() => svc.workflow.dispatch(id, { type: 'ACCEPT' }, intake(), { expectedVersion: 0 }), ConflictError],
      [
        () => svc.workflow.dispatch('00000000-0000-4000-8000-000000000000', { type: 'ACCEPT' }, intake()),
        ComplaintNotFound,
      ],
    ];
    for (const [attempt, expected] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(expected);
    }
    expect(await counts(id)).to.deep.equal(before);
  });

  it('10 concurrent dispatches on one complaint: exactly one succeeds, the others conflict, one audit row (R22)', async () => {
    const id = await file();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, intake(), { expectedVersion: 0 }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).to.have.length(9);
    for (const r of rejected) expect(r.reason).to.be.instanceOf(ConflictError);
    const transitions = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('object_id', '=', id)
      .where('event_type', '=', 'complaint.transition')
      .execute();
    expect(transitions).to.have.length(1);
    expect((await counts(id)).version).to.equal(1);
  });

  it('a case taken from intake to closed, tolled on the way, replays from its audit trail to the stored snapshot', async () => {
    const id = await file({ email: 'r4@example.com' });
    const assigned = () => staff('investigator', ['investigator'], true);
    const steps: Array<[DispatchEvent, Actor]> = [
      [{ type: 'BEGIN_TRIAGE' }, intake()],
      [{ type: 'ACCEPT' }, intake()],
      [{ type: 'ASSIGN', investigatorId: people['investigator']! }, supervisor()],
      [{ type: 'BEGIN_INVESTIGATION' }, assigned()],
      [{ type: 'TOLL', reason: 'criminal_proceedings' }, assigned()],
      [{ type: 'RESUME' }, assigned()],
      [{ type: 'DRAFT_FINDINGS' }, assigned()],
      [{ type: 'SUBMIT_FINDINGS' }, supervisor()],
      [{ type: 'OPEN_VOTING' }, supervisor()],
      [{ type: 'BOARD_DECIDED', reconsiderationUntil: '2020-01-01T00:00:00.000Z' }, { kind: 'system' }],
      [{ type: 'RECONSIDERATION_WINDOW_CLOSED' }, { kind: 'system' }],
    ];
    for (const [event, actor] of steps) await svc.workflow.dispatch(id, event, actor);
    const row = await database.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).to.include({ stage: 'closed', outcome: 'decided', version: steps.length });
    expect(row.closed_at).to.be.instanceOf(Date);
    expect(await replay(id)).to.deep.equal(row.snapshot);
    const running = await database.db
      .selectFrom('deadlines')
      .select('kind')
      .where('complaint_id', '=', id)
      .where('completed_at', 'is', null)
      .execute();
    expect(running).to.deep.equal([]);
    expect((await svc.audit.verify()).ok).to.equal(true);
  });

  it('random event sequences by random roles keep the chain valid and the stored snapshot equal to the replay', async () => {
    const actors: Actor[] = [
      { kind: 'complainant' },
      { kind: 'system' },
      { kind: 'staff', userId: '', roles: ['intake'], assignedToCase: false },
      { kind: 'staff', userId: '', roles: ['supervisor'], assignedToCase: false },
      { kind: 'staff', userId: '', roles: ['investigator'], assignedToCase: true },
      { kind: 'staff', userId: '', roles: ['board'], assignedToCase: false },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ type: fc.constantFrom(...EVENT_TYPES), actor: fc.nat(actors.length - 1) }), {
          maxLength: 14,
        }),
        async (steps) => {
          const id = await file();
          for (const step of steps) {
            const template = actors[step.actor]!;
            const actor: Actor = template.kind === 'staff' ? { ...template, userId: people['supervisor']! } : template;
            const { at: _at, ...event } = probeEvent(step.type, new Date().toISOString());
            const payload =
              event.type === 'ASSIGN'
                ? { ...event, investigatorId: people['investigator']! }
                : event.type === 'BOARD_DECIDED'
                  ? { ...event, reconsiderationUntil: '2999-01-01T00:00:00.000Z' }
                  : event;
            await svc.workflow.dispatch(id, payload as DispatchEvent, actor).catch((error: unknown) => {
              if (!(error instanceof ForbiddenEvent || error instanceof IllegalTransition)) throw error;
            });
          }
          const row = await database.db
            .selectFrom('complaints')
            .select(['snapshot', 'machine_version'])
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          expect(await replay(id)).to.deep.equal(row.snapshot);
          expect(persist(restore(row.snapshot, row.machine_version))).to.deep.equal(row.snapshot);
        },
      ),
      { numRuns: 25 },
    );
    expect((await svc.audit.verify()).ok).to.equal(true);
  });
});
