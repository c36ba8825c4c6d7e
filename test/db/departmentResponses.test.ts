import { expect } from 'chai';
import { sql } from 'kysely';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Finding } from '../../server/domain/vocabulary.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { Conflict, InvalidField, NotFound } from '../../server/domain/errors.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { testConfig } from '../support/app.js';
import { ballotFor, organiserFor, votingCase } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { rejection } from '../support/rejection.js';
import { silentLogger } from '../support/logger.js';
import { createStaff } from '../support/staff.js';
import { statusRow } from '../../server/features/residents/status.repository.js';

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

describe("the department's response to sustained findings (#19 part 1)", () => {
  const database = useDatabase();
  let services: Services;
  let offset = 0;
  let organiser: Viewer;
  let supervisor: Viewer;

  before(async () => {
    services = buildServices({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
      now: () => new Date(Date.now() + offset),
    });
    organiser = await organiserFor(database.db);
    supervisor = { userId: (await createStaff(database.db, ['supervisor'])).id, roles: ['supervisor'] };
  });
  beforeEach(() => {
    offset = 0;
  });

  const db = () => database.db;
  /** A case the board decided with these findings (one member, who makes the quorum). */
  async function decided(findings: Finding[]) {
    const voting = await votingCase(services, db(), organiser, { members: 1, allegations: findings.length });
    await services.boardVotes.vote(
      voting.members[0]!,
      voting.itemId,
      await ballotFor(db(), voting.complaintId, findings),
    );
    const allegations = await db()
      .selectFrom('allegations')
      .select(['id', 'finding'])
      .where('complaint_id', '=', voting.complaintId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return { id: voting.complaintId, allegations: allegations.map((a) => a.id) };
  }
  const clockOf = (id: string) =>
    db()
      .selectFrom('deadlines')
      .select(['status', 'completed_at', 'due_at', 'starts_at'])
      .where('complaint_id', '=', id)
      .where('kind', '=', 'department_response')
      .execute();
  const stageOf = async (id: string) =>
    (await db().selectFrom('complaints').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;
  const entry = (allegationId: string, overrides = {}) => ({
    allegationId,
    concurred: true,
    discipline: 'written_reprimand' as const,
    suspensionDays: null,
    respondedOn: today(),
    note: 'Letter from the chief of police',
    ...overrides,
  });

  it('falls due 30 days after a decision with a sustained finding, and not after one without', async () => {
    const sustained = await decided(['sustained', 'not_sustained']);
    const [clock] = await clockOf(sustained.id);
    expect(clock?.status).to.equal('open');
    const days = Math.round((clock!.due_at.getTime() - clock!.starts_at.getTime()) / DAY);
    expect(days).to.be.within(30, 31); // to local midnight after the 30th day
    const none = await decided(['not_sustained', 'exonerated']);
    expect(await clockOf(none.id)).to.deep.equal([]);
    expect(await rejection(services.departmentResponses.forCase(supervisor, none.id))).to.be.instanceOf(NotFound);
  });

  it('is kept entry by entry, never edited; the clock stops once every sustained allegation has one', async () => {
    const { id, allegations } = await decided(['sustained', 'sustained']);
    await services.departmentResponses.record(supervisor, id, entry(allegations[0]!));
    expect((await clockOf(id))[0]?.completed_at).to.equal(null);
    // An appeal reduces the discipline: a new entry, the first stays as it was.
    await services.departmentResponses.record(
      supervisor,
      id,
      entry(allegations[0]!, { discipline: 'suspension', suspensionDays: 3, concurred: false }),
    );
    await services.departmentResponses.record(supervisor, id, entry(allegations[1]!, { discipline: 'none' }));
    const [clock] = await clockOf(id);
    expect(clock).to.include({ status: 'met' });
    expect(clock?.completed_at).to.be.an.instanceOf(Date);
    expect(await stageOf(id)).to.equal('disposition');

    const view = await services.departmentResponses.forCase(supervisor, id, 'req-1');
    expect(view.allegations.map((a) => a.entries.map((e) => e.discipline))).to.deep.equal([
      ['written_reprimand', 'suspension'],
      ['none'],
    ]);
    expect(view.allegations[0]!.entries[1]).to.include({ concurred: false, suspensionDays: 3 });

    let refused: unknown;
    await db()
      .updateTable('department_responses')
      .set({ discipline: 'termination' })
      .where('complaint_id', '=', id)
      .execute()
      .catch((error: unknown) => (refused = error));
    expect(String(refused)).to.match(/never edited/);
    // Nor deleted or truncated (#19 review): only the case's purge takes them.
    for (const attempt of [
      () => db().deleteFrom('department_responses').where('complaint_id', '=', id).execute(),
      () => sql`truncate department_responses`.execute(db()),
    ]) {
      refused = undefined;
      await attempt().catch((error: unknown) => (refused = error));
      expect(String(refused)).to.match(/are kept/);
    }

    const audit = await db()
      .selectFrom('audit_events')
      .select(['event_type', 'details'])
      .where('object_id', '=', id)
      .where('event_type', 'like', 'department_response.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.event_type)).to.deep.equal([
      'department_response.recorded',
      'department_response.recorded',
      'department_response.recorded',
      'department_response.read',
    ]);
    expect(JSON.stringify(audit)).to.not.include('Letter from the chief');
  });

  it('warns before it is due, escalates a breach to supervisors, and keeps running after the case closes', async () => {
    const { id, allegations } = await decided(['sustained']);
    await db().deleteFrom('outbox').execute();
    offset = 25 * DAY; // inside the week before it is due
    await services.deadlines.sweep();
    expect((await clockOf(id))[0]).to.include({ status: 'warned' });
    // Warned to those who record responses (every supervisor), not only to the case's investigator.
    const warnings = (
      await db().selectFrom('outbox').select(['recipient', 'data']).where('template', '=', 'deadlineWarning').execute()
    ).filter(
      (m) =>
        (m.data as { deadline?: string }).deadline === 'department_response' &&
        (m.data as { caseUrl: string }).caseUrl.endsWith(id),
    );
    const supervisors = await db()
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select('u.email')
      .where('r.role', '=', 'supervisor')
      .where('u.disabled_at', 'is', null)
      .execute();
    expect(warnings.map((m) => m.recipient).sort()).to.deep.equal(supervisors.map((u) => u.email).sort());
    for (const m of warnings)
      expect((m.data as { caseUrl: string }).caseUrl).to.match(/\/staff\/responses\/[0-9a-f-]{36}$/);
    offset = 40 * DAY; // past the reconsideration window and the response's deadline
    await services.workflow.dispatch(id, { type: 'RECONSIDERATION_WINDOW_CLOSED' }, { kind: 'system' });
    expect(await stageOf(id)).to.equal('closed');
    await services.deadlines.sweep();
    expect((await clockOf(id))[0]).to.include({ status: 'breached', completed_at: null });
    const mail = await db()
      .selectFrom('outbox')
      .select(['template', 'data'])
      .where('template', '=', 'deadlineBreached')
      .execute();
    expect(mail.some((m) => (m.data as { deadline?: string }).deadline === 'department_response')).to.equal(true);
    const overview = await services.departmentResponses.overview(supervisor);
    expect(overview.awaiting.find((c) => c.id === id)).to.include({ overdue: true });
    // Between the agency and the department: never the resident's next step.
    expect((await statusRow(db(), { id })).next_deadline).to.equal(null);

    // Late, and recorded after closing: the case stays closed, the clock stays breached and stops.
    await services.departmentResponses.record(supervisor, id, entry(allegations[0]!, { respondedOn: today() }));
    expect(await stageOf(id)).to.equal('closed');
    expect((await clockOf(id))[0]?.status).to.equal('breached');
    expect((await services.departmentResponses.overview(supervisor)).awaiting.map((c) => c.id)).to.not.include(id);
  });

  it('is recorded by supervisors and admins only, and read by investigators and the board, not intake', async () => {
    const { id, allegations } = await decided(['sustained']);
    for (const roles of [['intake'], ['investigator'], ['board']] as const) {
      const viewer = { userId: (await createStaff(db(), [...roles])).id, roles: [...roles] };
      expect(await rejection(services.departmentResponses.record(viewer, id, entry(allegations[0]!)))).to.be.instanceOf(
        NotFound,
      );
      expect(await rejection(services.departmentResponses.overview(viewer))).to.be.instanceOf(NotFound);
    }
    const admin = { userId: (await createStaff(db(), ['admin'])).id, roles: ['admin' as const] };
    await services.departmentResponses.record(admin, id, entry(allegations[0]!));
    const reads = async (roles: Viewer['roles']) =>
      services.departmentResponses.forCaseFile({ userId: supervisor.userId, roles }, id, await stageOf(id));
    expect(await reads(['intake'])).to.equal(undefined);
    expect((await reads(['investigator']))?.allegations[0]?.entries).to.have.length(1);
    expect((await reads(['board']))?.mayRecord).to.equal(false);
    expect((await reads(['supervisor']))?.mayRecord).to.equal(true);
  });

  it('waits for the new decision while the findings are open again, and says the old clock no longer runs', async () => {
    const { id, allegations } = await decided(['sustained']);
    await services.workflow.dispatch(id, { type: 'REQUEST_RECONSIDERATION' }, { kind: 'complainant' });
    const refused = await rejection(services.departmentResponses.record(supervisor, id, entry(allegations[0]!)));
    expect(refused).to.be.instanceOf(Conflict);
    const [clock] = await clockOf(id);
    expect(clock?.completed_at).to.be.an.instanceOf(Date);
  });

  it('takes the entry recorded last as the one in force, so a correction wins over a mistaken date', async () => {
    const { id, allegations } = await decided(['sustained']);
    const dayAfter = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
    offset = 5 * DAY;
    // Typed as the 4th day after the decision; it was the 2nd: the correction is recorded after it.
    await services.departmentResponses.record(
      supervisor,
      id,
      entry(allegations[0]!, { discipline: 'termination', respondedOn: dayAfter(4) }),
    );
    await services.departmentResponses.record(
      supervisor,
      id,
      entry(allegations[0]!, { discipline: 'written_reprimand', respondedOn: dayAfter(2) }),
    );
    const view = await services.departmentResponses.forCase(supervisor, id);
    expect(view.allegations[0]!.entries.at(-1)).to.include({ discipline: 'written_reprimand' });
    await services.statistics.refresh();
    const kept = await db()
      .selectFrom('stats_snapshots')
      .select('responses')
      .where('complaint_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(kept.responses).to.have.length(1);
    expect(kept.responses[0]).to.match(/written_reprimand$/);
  });

  it('refuses what cannot be a response, and writes nothing', async () => {
    const { id, allegations } = await decided(['sustained', 'not_sustained']);
    const other = await decided(['sustained']);
    const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const bad = [
      entry(allegations[1]!), // not sustained
      entry(other.allegations[0]!), // another case's
      entry(allegations[0]!, { respondedOn: tomorrow }),
      entry(allegations[0]!, { respondedOn: '2001-01-01' }), // before the complaint
    ];
    for (const input of bad) {
      expect(await rejection(services.departmentResponses.record(supervisor, id, input))).to.be.instanceOf(
        InvalidField,
      );
    }
    expect(
      await rejection(
        services.departmentResponses.record(supervisor, '00000000-0000-4000-8000-000000000000', entry(allegations[0]!)),
      ),
    ).to.be.instanceOf(NotFound);
    const written = await db().selectFrom('department_responses').select('id').where('complaint_id', '=', id).execute();
    expect(written).to.deep.equal([]);
    // The retention purge of a case takes its responses with it.
    await services.departmentResponses.record(supervisor, other.id, entry(other.allegations[0]!));
    await db().deleteFrom('complaints').where('id', '=', other.id).execute();
    expect(
      await db().selectFrom('department_responses').select('id').where('complaint_id', '=', other.id).execute(),
    ).to.deep.equal([]);
  });
});
