import { expect } from 'chai';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { complaintSubmission } from '../../server/features/residents/complaint.schemas.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { newTrackingNumber } from '../../server/platform/workflow/complaint.codes.js';
import { testConfig } from '../support/app.js';
import { ballotFor, organiserFor, votingCase } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { createStaff } from '../support/staff.js';
import {
  counted,
  describeStatements,
  statementCounter,
  tallyStatements,
  type Statement,
} from '../support/statementCounter.js';

/**
 * The SQL statements of the busiest requests (issue #16 item 4), counted by a Kysely plugin on the
 * services' database: a use case loads what it needs once and passes it down. Begin and commit are
 * not counted. SHOW_STATEMENTS=1 prints every statement.
 *
 * Measured, the same on PGlite and PostgreSQL (before and after #16 item 4):
 *   filing a complaint from the web form (intake.submit): 23, then 20 statements; the complaints
 *     table read twice, then once (the check for an earlier filing with the same secret). Then 12
 *     (#18 item 2): the reference data kept in memory (its version read once), the parts in one statement,
 *     the complainant's address and the receipt's due date not read back, the audit row written
 *     after the chain's head in one statement. Then 10: the clocks a filing starts in one statement, the receipt's quota taken in the statement
 *     that queues it.
 *   a supervisor's ACCEPT (caseWork.act): 13, then 13.
 *   the deciding vote (boardVotes.vote; 3 seated members, 2 allegations): 38, then 24; settings,
 *     deadline policies and holidays read 8 times, then 3; allegations 3 times, then 2.
 *   the ballot form's POST (the member's ballot, then the vote): 47, then 25 (the ballot's shape is
 *     one read beside the vote).
 */
describe('SQL statements per request (#16 item 4)', () => {
  const database = useDatabase();
  const counter = statementCounter();
  let services: Services;
  const measured: Record<string, number> = {};

  before(() => {
    services = buildServices({
      config: testConfig(),
      database: counted(database.handle, counter),
      translator: createTranslator(),
      logger: silentLogger,
    });
  });

  after(() => {
    if (process.env['SHOW_STATEMENTS']) process.stdout.write(`      statements: ${JSON.stringify(measured)}\n`);
  });

  const show = (name: string, statements: Statement[]) => {
    measured[name] = statements.length;
    if (process.env['SHOW_STATEMENTS']) {
      process.stdout.write(`\n${name}: ${statements.length}\n${describeStatements(statements)}\n`);
      process.stdout.write(`${JSON.stringify(tallyStatements(statements), null, 1)}\n`);
    }
    return `${name}: ${statements.length} statements\n${describeStatements(statements)}`;
  };

  it('counts query builders and raw sql`` alike, inside transactions too', async () => {
    const { statements } = await counter.measure(() =>
      counted(database.handle, counter)
        .db.transaction()
        .execute(async (trx) => {
          await trx.selectFrom('settings').select('key').execute();
          await trx.insertInto('settings').values({ key: 'counter.probe', value: '1' }).execute();
          await services.audit.record(trx, { type: 'test.probe', actor: { type: 'system' } });
        }),
    );
    // The audit append: its advisory lock (raw), then the row after the chain's head (#18: one statement).
    expect(statements.map((s) => `${s.kind} ${s.table ?? '-'}`)).to.deep.equal([
      'select settings',
      'insert settings',
      'raw -',
      'raw audit_events',
    ]);
  });

  it('filing a complaint reads the new complaint once', async () => {
    const secret = await services.intake.startDraft('203.0.113.7');
    const submission = complaintSubmission.parse({
      language: 'en',
      narrative: 'The officer pushed me outside the library.',
      incidentDate: '2026-01-05',
      location: 'Main Street',
      categories: ['force'],
      officers: [{ name: 'Officer Smith', badgeNumber: '1234' }],
      witnesses: [],
      about: { filing: 'self', name: 'Pat Resident', email: 'pat@example.com', preferredContact: 'email' },
      consent: true,
      truthful: true,
    });
    const { result: receipt, statements } = await counter.measure(() =>
      services.intake.submit(submission, { channel: 'web', secret, draftSecret: secret, client: '203.0.113.7' }),
    );
    const report = show('filing', statements);
    expect(receipt.created).to.equal(true);
    const complaintReads = statements.filter((s) => s.kind === 'select' && s.table === 'complaints');
    // The one read is the check for an earlier filing with this secret (R23); the new row is not read back.
    expect(complaintReads, report).to.have.length.at.most(1);
    expect(statements, report).to.have.length.at.most(10);
  });

  it('one staff action (a supervisor accepts a case) stays small', async () => {
    const complaintId = await caseInTriage(services);
    const supervisor = await createStaff(database.db, ['supervisor']);
    const viewer: Viewer = { userId: supervisor.id, roles: ['supervisor'] };
    const { version } = await database.db
      .selectFrom('complaints')
      .select('version')
      .where('id', '=', complaintId)
      .executeTakeFirstOrThrow();
    const { result, statements } = await counter.measure(() =>
      services.caseWork.act(viewer, complaintId, { type: 'ACCEPT' }, version),
    );
    const report = show('staff action', statements);
    expect(result.state).to.equal('investigation.awaitingAssignment');
    expect(statements, report).to.have.length.at.most(13);
  });

  it('the deciding board vote takes at most 25 statements', async () => {
    const organiser = await organiserFor(database.db);
    // As the board's staff pages test it: three seated members, a case with two allegations.
    const { members, complaintId, itemId } = await votingCase(services, database.db, organiser, {
      members: 3,
      allegations: 2,
    });
    for (const member of members.slice(0, -1)) {
      await services.boardVotes.vote(member, itemId, await ballotFor(database.db, complaintId, 'sustained'));
    }
    const last = members.at(-1)!;
    const ballot = await ballotFor(database.db, complaintId, 'sustained', 'Retraining');
    // What the ballot form's POST runs: the ballot's shape (404, 409 and the allegations to read
    // the form with), then the vote itself, which decides.
    let vote!: Statement[];
    const { result, statements } = await counter.measure(async () => {
      expect((await services.boardVotes.ballotShape(last, itemId))?.open).to.equal(true);
      const cast = await counter.measure(() => services.boardVotes.vote(last, itemId, ballot));
      vote = cast.statements;
      return cast.result;
    });
    const report = show('deciding vote', vote);
    expect(result.outcome).to.equal('decided');
    expect(vote, report).to.have.length.at.most(25);
    expect(statements, show('ballot form POST (ballot shape + vote)', statements)).to.have.length.at.most(25);
    // The board's settings, the deadline policies and the holidays: each read once.
    expect(readsOf(vote, 'settings', 'deadline_policies', 'holidays'), report).to.have.length.at.most(3);
    // The allegations: with the item (their ids), and by the decision letter (their final findings).
    expect(readsOf(vote, 'allegations'), report).to.have.length.at.most(2);
  });

  /** The statements that read from one of these tables (in a subquery too). */
  const readsOf = (statements: Statement[], ...tables: string[]) =>
    statements.filter((s) => tables.some((table) => new RegExp(`\\bfrom "?${table}"?(?![\\w"])`).test(s.sql)));

  /** A case filed by phone and moved to triage by a supervisor: what the ACCEPT acts on. */
  async function caseInTriage(svc: Services): Promise<string> {
    const supervisor = await createStaff(database.db, ['supervisor']);
    const actor = { kind: 'staff', userId: supervisor.id, roles: ['supervisor'], assignedToCase: false } as const;
    const id = await database.db.transaction().execute((trx) =>
      svc.workflow.create(
        trx,
        {
          tracking_number: newTrackingNumber(),
          access_code_hash: 'test:no-code',
          language: 'en',
          channel: 'phone',
          anonymous: true,
          narrative: 'Taken by phone.',
          district: null,
        },
        { actor },
      ),
    );
    await svc.workflow.dispatch(id, { type: 'BEGIN_TRIAGE' }, actor);
    return id;
  }
});
