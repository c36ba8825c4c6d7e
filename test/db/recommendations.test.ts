import { expect } from 'chai';
import { sql } from 'kysely';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import { createTranslator } from '../../server/platform/i18n.js';
import { Conflict, InvalidField, NotFound } from '../../server/domain/errors.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { testConfig } from '../support/app.js';
import { boardMembersFor, boardReviewCase, organiserFor, seatBoard } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { rejection } from '../support/rejection.js';
import { silentLogger } from '../support/logger.js';
import { createStaff } from '../support/staff.js';

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

describe('policy recommendations: drafted, voted with quorum and recusal, answered (#19 part 3)', () => {
  const database = useDatabase();
  let services: Services;
  let organiser: Viewer;
  let members: Viewer[];

  before(async () => {
    services = buildServices({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
    });
    organiser = await organiserFor(database.db);
    members = await boardMembersFor(database.db, 5);
    await seatBoard(services, organiser, members);
  });

  const db = () => database.db;
  const draft = (overrides: Partial<Parameters<Services['recommendations']['create']>[1]> = {}, by?: Viewer) =>
    services.recommendations.create(by ?? organiser, {
      titleEn: 'Record every vehicle search',
      titleEs: 'Registrar cada registro de vehículo',
      bodyEn: 'Officers should record the reason for every vehicle search on body camera.',
      bodyEs: 'Los agentes deben registrar el motivo de cada registro de vehículo con la cámara corporal.',
      basisEn: 'A pattern of complaints about searches during traffic stops.',
      basisEs: 'Un patrón de quejas sobre registros durante paradas de tráfico.',
      cases: [],
      ...overrides,
    });
  /** A meeting voting now, with these recommendations on its agenda; their item ids. */
  async function voting(...ids: string[]) {
    const meetingId = await services.boardMeetings.schedule(organiser, {
      scheduledFor: new Date(),
      location: 'Room 2',
    });
    const items = [];
    for (const id of ids) items.push(await services.recommendationVotes.addToAgenda(organiser, meetingId, id));
    await services.boardMeetings.openVoting(organiser, meetingId);
    return { meetingId, items };
  }
  const statusOf = async (id: string) =>
    await db()
      .selectFrom('recommendations')
      .select(['status', 'response_due_at', 'adopted_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('links the cases that prompted it, internally, and refuses unknown tracking numbers', async () => {
    const caseId = await boardReviewCase(services, db());
    const { tracking_number } = await db()
      .selectFrom('complaints')
      .select('tracking_number')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    const id = await draft({ cases: [tracking_number] });
    const view = await services.recommendations.get(organiser, id, 'en');
    expect(view.recommendation.reference).to.match(/^REC-\d{4}-\d{3}$/);
    expect(view.cases.map((c) => c.trackingNumber)).to.deep.equal([tracking_number]);
    expect(await rejection(draft({ cases: ['OC-2222-2222'] }))).to.be.instanceOf(InvalidField);
    const board = members[0]!;
    expect(await rejection(services.recommendations.get(board, id, 'en'))).to.be.instanceOf(NotFound);
  });

  it('is adopted once every member who has not recused has voted, with a quorum; the response falls due', async () => {
    const id = await draft();
    const { meetingId, items } = await voting(id);
    const item = items[0]!;
    await services.recommendationVotes.vote(members[0]!, meetingId, item, 'recused', 'My sibling is in the department');
    for (const [k, member] of members.slice(1).entries()) {
      const { outcome } = await services.recommendationVotes.vote(
        member,
        meetingId,
        item,
        k < 3 ? 'adopt' : 'reject',
        null,
      );
      expect(outcome).to.equal(k === 3 ? 'adopted' : null);
    }
    const row = await statusOf(id);
    expect(row.status).to.equal('adopted');
    const days = (row.response_due_at!.getTime() - row.adopted_at!.getTime()) / DAY;
    expect(days).to.be.within(90, 91);
    const counted = await db()
      .selectFrom('recommendation_items')
      .select(['votes_for', 'votes_against'])
      .where('id', '=', item)
      .executeTakeFirstOrThrow();
    expect(counted).to.deep.equal({ votes_for: 3, votes_against: 1 });
    // Decided: no more votes.
    expect(
      await rejection(services.recommendationVotes.vote(members[1]!, meetingId, item, 'reject', null)),
    ).to.be.instanceOf(Conflict);
  });

  it('without a quorum at the close stays a draft for another meeting; a tie is not adopted', async () => {
    const few = await draft();
    const tied = await draft();
    const { meetingId, items } = await voting(few, tied);
    await services.recommendationVotes.vote(members[0]!, meetingId, items[0]!, 'adopt', null);
    for (const [k, member] of members.slice(0, 4).entries()) {
      await services.recommendationVotes.vote(member, meetingId, items[1]!, k % 2 ? 'adopt' : 'reject', null);
    }
    const closed = await services.boardMeetings.closeVoting(organiser, meetingId);
    expect(closed).to.include({ recommendation_no_quorum: 1, recommendation_not_adopted: 1 });
    expect((await statusOf(few)).status).to.equal('draft');
    expect((await statusOf(tied)).status).to.equal('not_adopted');
    // The draft can go on the next meeting's agenda; the refused one cannot.
    await voting(few);
    expect(await rejection(voting(tied))).to.be.instanceOf(Conflict);
  });

  it('is voted only by seated members, and put on an agenda only by organisers', async () => {
    const id = await draft();
    const { meetingId, items } = await voting(id);
    const stranger = { userId: (await createStaff(db(), ['board'])).id, roles: ['board' as const] };
    expect(
      await rejection(services.recommendationVotes.vote(stranger, meetingId, items[0]!, 'adopt', null)),
    ).to.be.instanceOf(NotFound);
    expect(
      await rejection(services.recommendationVotes.vote(organiser, meetingId, items[0]!, 'adopt', null)),
    ).to.be.instanceOf(NotFound);
    const other = await draft();
    expect(await rejection(services.recommendationVotes.addToAgenda(members[0]!, meetingId, other))).to.be.instanceOf(
      NotFound,
    );
  });

  it('keeps a recusal final, votes only through its own meeting, and lets no admin link cases', async () => {
    const id = await draft();
    const { meetingId, items } = await voting(id);
    const other = await services.boardMeetings.schedule(organiser, { scheduledFor: new Date(), location: null });
    expect(
      await rejection(services.recommendationVotes.vote(members[0]!, other, items[0]!, 'adopt', null)),
    ).to.be.instanceOf(NotFound);
    await services.recommendationVotes.vote(members[0]!, meetingId, items[0]!, 'recused', 'A conflict of interest');
    expect(
      await rejection(services.recommendationVotes.vote(members[0]!, meetingId, items[0]!, 'adopt', null)),
    ).to.be.instanceOf(Conflict);
    const admin = { userId: (await createStaff(db(), ['admin'])).id, roles: ['admin' as const] };
    const caseId = await boardReviewCase(services, db());
    const tracking = (
      await db().selectFrom('complaints').select('tracking_number').where('id', '=', caseId).executeTakeFirstOrThrow()
    ).tracking_number;
    expect(await rejection(draft({ cases: [tracking] }, admin))).to.be.instanceOf(InvalidField);
    const linked = await draft({ cases: [tracking] });
    expect((await services.recommendations.get(admin, linked, 'en')).cases).to.deep.equal([]);
  });

  it("records the department's response and implementation as dated entries, never edited", async () => {
    const id = await draft();
    expect(
      await rejection(
        services.recommendations.recordUpdate(organiser, id, {
          kind: 'response',
          status: 'accepted',
          body: 'Yes',
          occurredOn: today(),
        }),
      ),
    ).to.be.instanceOf(Conflict);
    const { meetingId, items } = await voting(id);
    for (const member of members) await services.recommendationVotes.vote(member, meetingId, items[0]!, 'adopt', null);
    await services.recommendations.recordUpdate(organiser, id, {
      kind: 'response',
      status: 'under_study',
      body: 'We are studying it.',
      occurredOn: today(),
    });
    await services.recommendations.recordUpdate(organiser, id, {
      kind: 'response',
      status: 'accepted',
      body: 'Adopted in General Order 5.1.',
      occurredOn: today(),
    });
    expect(
      await rejection(
        services.recommendations.recordUpdate(organiser, id, {
          kind: 'implementation',
          status: 'implemented',
          body: 'Done',
          occurredOn: '2199-01-01',
        }),
      ),
    ).to.be.instanceOf(InvalidField);
    const tracker = await services.recommendationTracker.list({ status: 'accepted' }, 'es');
    const entry = tracker.entries.find((e) => e.id === id)!;
    expect(entry.title).to.equal('Registrar cada registro de vehículo');
    expect(entry.updates.map((u) => u.status)).to.deep.equal(['under_study', 'accepted']);
    let refused: unknown;
    await db()
      .updateTable('recommendation_updates')
      .set({ status: 'rejected' })
      .where('recommendation_id', '=', id)
      .execute()
      .catch((e: unknown) => (refused = e));
    expect(String(refused)).to.match(/never edited/);
    refused = undefined;
    await sql`truncate recommendation_updates`.execute(db()).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.match(/never edited/);
    // A correction recorded later, with an earlier date, is the one in force.
    await services.recommendations.recordUpdate(organiser, id, {
      kind: 'response',
      status: 'rejected',
      body: 'Correction: the department rejected it.',
      occurredOn: today(),
    });
    expect((await services.recommendationTracker.detail(entry.reference, 'en'))?.status).to.equal('rejected');
    const audit = await db()
      .selectFrom('audit_events')
      .select('event_type')
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.event_type)).to.include.members([
      'recommendation.create',
      'board.agenda.add_recommendation',
      'board.vote',
      'board.recommendation.decided',
      'recommendation.update',
    ]);
  });
});
