import { expect } from 'chai';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import { createTranslator } from '../../server/platform/i18n.js';
import type { BoardRules } from '../../server/features/board/board.rules.js';
import { MeetingNotFound, MeetingStateConflict } from '../../server/features/board/boardMeeting.service.js';
import { BallotNotFound, VotingClosed } from '../../server/features/board/boardVote.service.js';
import { services as buildServices, type Services } from '../../server/compose.js';
import { IllegalTransition } from '../../workflows/complaint.snapshot.js';
import { testConfig } from '../support/app.js';
import {
  ballotFor,
  boardMembersFor,
  boardReviewCase,
  openMeeting,
  organiserFor,
  votingCase,
} from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';

const DAY = 86_400_000;

describe('board review: meetings, votes, quorum, recusal and decisions (R15, R22)', () => {
  const database = useDatabase();
  let services: Services;
  let offset = 0;
  let organiser: Viewer;

  before(async () => {
    services = buildServices({
      config: testConfig(),
      database: database.handle,
      translator: createTranslator(),
      logger: silentLogger,
      now: () => new Date(Date.now() + offset),
    });
    organiser = await organiserFor(database.db);
  });
  beforeEach(() => {
    offset = 0;
  });

  const db = () => database.db;
  const stateOf = async (id: string) =>
    (await db().selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
  const itemOf = async (id: string) =>
    db().selectFrom('agenda_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const findingsOf = async (itemId: string) =>
    db()
      .selectFrom('board_findings')
      .select(['finding', 'votes_cast', 'votes_for', 'by_tie_rule'])
      .where('agenda_item_id', '=', itemId)
      .execute();
  /** A case with a meeting voting on it, and the members seated for it. */
  const votingOn = (count: number, rules: Partial<BoardRules> = {}, options = {}) =>
    votingCase(services, db(), organiser, { allegations: 2, ...options, members: count, rules });

  it('decides by itself once every seated member has voted and they make a quorum; the letter goes in Spanish', async () => {
    const { members, complaintId, itemId } = await votingOn(5, {}, { language: 'es' });
    expect(await stateOf(complaintId)).to.equal('boardReview.voting');
    const plan = ['sustained', 'sustained', 'sustained', 'not_sustained', 'exonerated'] as const;
    for (const [k, member] of members.entries()) {
      const result = await services.boardVotes.vote(
        member,
        itemId,
        await ballotFor(db(), complaintId, plan[k]!, 'Retraining in de-escalation'),
      );
      expect(result.outcome).to.equal(k === 4 ? 'decided' : null);
    }
    expect(await stateOf(complaintId)).to.equal('disposition');
    expect((await itemOf(itemId)).outcome).to.equal('decided');
    expect(await findingsOf(itemId)).to.deep.equal([
      { finding: 'sustained', votes_cast: 5, votes_for: 3, by_tie_rule: false },
      { finding: 'sustained', votes_cast: 5, votes_for: 3, by_tie_rule: false },
    ]);
    const allegations = await db()
      .selectFrom('allegations')
      .select(['finding', 'discipline_recommendation'])
      .where('complaint_id', '=', complaintId)
      .execute();
    expect(allegations.every((a) => a.finding === 'sustained')).to.equal(true);
    expect(allegations[0]!.discipline_recommendation).to.contain('Retraining in de-escalation');
    const letter = await db()
      .selectFrom('outbox')
      .select(['language', 'data'])
      .where('template', '=', 'decisionLetter')
      .where(({ eb, ref }) => eb(ref('data', '->>').key('trackingNumber' as never), 'is not', null))
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(letter.language).to.equal('es');
    const data = letter.data as { findings: Array<{ finding: string }>; reconsiderationLastDay: string };
    expect(data.findings.map((f) => f.finding)).to.deep.equal(['sustained', 'sustained']);
    // The window in the letter is the one the reconsideration clock runs to.
    const clock = await db()
      .selectFrom('deadlines')
      .select('due_at')
      .where('complaint_id', '=', complaintId)
      .where('kind', '=', 'reconsideration')
      .executeTakeFirstOrThrow();
    expect(clock.due_at.getTime()).to.be.greaterThan(Date.now() + 20 * DAY);
  });

  it('closing without a quorum sends the case back to wait; the next meeting votes afresh in a new round', async () => {
    const { members, complaintId, meetingId, itemId } = await votingOn(5);
    for (const member of members.slice(0, 2)) {
      await services.boardVotes.vote(member, itemId, await ballotFor(db(), complaintId, 'sustained'));
    }
    expect(await services.boardMeetings.closeVoting(organiser, meetingId)).to.deep.equal({ no_quorum: 1 });
    expect(await stateOf(complaintId)).to.equal('boardReview.scheduled');
    expect((await itemOf(itemId)).outcome).to.equal('no_quorum');
    expect((await services.boardMeetings.waitingCases(organiser)).map((c) => c.id)).to.include(complaintId);

    const next = await openMeeting(services, organiser, [complaintId]);
    expect((await itemOf(next.items[0]!)).round).to.equal(2);
    for (const member of members) {
      await services.boardVotes.vote(member, next.items[0]!, await ballotFor(db(), complaintId, 'unfounded'));
    }
    expect(await stateOf(complaintId)).to.equal('disposition');
    const rows = await db()
      .selectFrom('votes')
      .select('round')
      .where('agenda_item_id', 'in', [itemId, next.items[0]!])
      .execute();
    expect(rows.filter((r) => r.round === 1)).to.have.length(4);
    expect(rows.filter((r) => r.round === 2)).to.have.length(10);
  });

  it('closing with a quorum present decides by the votes cast, absent members aside', async () => {
    const { members, complaintId, meetingId, itemId } = await votingOn(5);
    const plan = ['sustained', 'sustained', 'not_sustained'] as const;
    for (const [k, finding] of plan.entries()) {
      expect(
        (await services.boardVotes.vote(members[k]!, itemId, await ballotFor(db(), complaintId, finding))).outcome,
      ).to.equal(null);
    }
    expect(await services.boardMeetings.closeVoting(organiser, meetingId)).to.deep.equal({ decided: 1 });
    expect((await findingsOf(itemId))[0]).to.deep.equal({
      finding: 'sustained',
      votes_cast: 3,
      votes_for: 2,
      by_tie_rule: false,
    });
  });

  it('a tie is "not sustained" by default, and carries over under the other rule', async () => {
    const tied = ['sustained', 'sustained', 'exonerated', 'exonerated'] as const;
    const byDefault = await votingOn(4, {}, { allegations: 1 });
    for (const [k, member] of byDefault.members.entries()) {
      await services.boardVotes.vote(member, byDefault.itemId, await ballotFor(db(), byDefault.complaintId, tied[k]!));
    }
    expect(await findingsOf(byDefault.itemId)).to.deep.equal([
      { finding: 'not_sustained', votes_cast: 4, votes_for: 0, by_tie_rule: true },
    ]);
    expect(await stateOf(byDefault.complaintId)).to.equal('disposition');

    const carried = await votingOn(4, { tieRule: 'carry_over' }, { allegations: 1 });
    for (const [k, member] of carried.members.entries()) {
      await services.boardVotes.vote(member, carried.itemId, await ballotFor(db(), carried.complaintId, tied[k]!));
    }
    expect((await itemOf(carried.itemId)).outcome).to.equal('undecided');
    expect(await findingsOf(carried.itemId)).to.deep.equal([
      { finding: null, votes_cast: 4, votes_for: 0, by_tie_rule: true },
    ]);
    expect(await stateOf(carried.complaintId)).to.equal('boardReview.scheduled');
  });

  it('a recused member can neither vote nor read the case, and the others decide without them', async () => {
    const { members, complaintId, itemId } = await votingOn(5);
    const [recused, ...others] = members as [Viewer, ...Viewer[]];
    await services.boardVotes.vote(recused, itemId, await ballotFor(db(), complaintId, 'sustained'));
    expect(await services.caseFile.view(recused, complaintId, undefined)).not.to.equal(undefined);
    await services.boardVotes.recuse(recused, itemId, 'My cousin is the officer.');
    expect(await db().selectFrom('votes').select('id').where('member_id', '=', recused.userId).execute()).to.deep.equal(
      [],
    );
    expect(await services.caseFile.view(recused, complaintId, undefined)).to.equal(undefined);
    expect(await services.boardVotes.ballot(recused, itemId)).to.equal(undefined);
    let refused: unknown;
    try {
      await services.boardVotes.vote(recused, itemId, await ballotFor(db(), complaintId, 'sustained'));
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(BallotNotFound);
    for (const [k, member] of others.entries()) {
      const { outcome } = await services.boardVotes.vote(
        member,
        itemId,
        await ballotFor(db(), complaintId, 'exonerated'),
      );
      expect(outcome).to.equal(k === others.length - 1 ? 'decided' : null);
    }
    expect((await findingsOf(itemId))[0]).to.include({ finding: 'exonerated', votes_cast: 4 });
    const audit = await db()
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'board.recusal')
      .execute();
    expect(JSON.stringify(audit)).not.to.contain('cousin');
  });

  it('a vote can be changed until voting closes, and not after', async () => {
    const { members, complaintId, meetingId, itemId } = await votingOn(3);
    const member = members[0]!;
    await services.boardVotes.vote(member, itemId, await ballotFor(db(), complaintId, 'sustained'));
    await services.boardVotes.vote(member, itemId, await ballotFor(db(), complaintId, 'unfounded'));
    const mine = await db().selectFrom('votes').select('finding').where('member_id', '=', member.userId).execute();
    expect(mine.map((v) => v.finding)).to.deep.equal(['unfounded', 'unfounded']);
    await services.boardMeetings.closeVoting(organiser, meetingId);
    let refused: unknown;
    try {
      await services.boardVotes.vote(member, itemId, await ballotFor(db(), complaintId, 'sustained'));
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(VotingClosed);
    const after = await db().selectFrom('votes').select('finding').where('member_id', '=', member.userId).execute();
    expect(after.map((v) => v.finding)).to.deep.equal(['unfounded', 'unfounded']);
  });

  it('a three-member panel with a fixed quorum of three: one recusal leaves no quorum, all three decide', async () => {
    const short = await votingOn(3, { quorum: { kind: 'fixed', count: 3 } }, { allegations: 1 });
    await services.boardVotes.recuse(short.members[0]!, short.itemId, 'Conflict of interest');
    for (const member of short.members.slice(1)) {
      await services.boardVotes.vote(member, short.itemId, await ballotFor(db(), short.complaintId, 'sustained'));
    }
    expect(await stateOf(short.complaintId)).to.equal('boardReview.voting');
    expect(await services.boardMeetings.closeVoting(organiser, short.meetingId)).to.deep.equal({ no_quorum: 1 });

    const full = await votingOn(3, { quorum: { kind: 'fixed', count: 3 } }, { allegations: 1 });
    const plan = ['sustained', 'not_sustained', 'sustained'] as const;
    for (const [k, member] of full.members.entries()) {
      await services.boardVotes.vote(member, full.itemId, await ballotFor(db(), full.complaintId, plan[k]!));
    }
    expect((await findingsOf(full.itemId))[0]).to.deep.equal({
      finding: 'sustained',
      votes_cast: 3,
      votes_for: 2,
      by_tie_rule: false,
    });
  });

  it('reconsideration inside the window returns the case to the board; once the window ends the sweeper closes it', async () => {
    const first = await votingOn(3, {}, { allegations: 1 });
    for (const member of first.members) {
      await services.boardVotes.vote(member, first.itemId, await ballotFor(db(), first.complaintId, 'not_sustained'));
    }
    await services.workflow.dispatch(first.complaintId, { type: 'REQUEST_RECONSIDERATION' }, { kind: 'complainant' });
    expect(await stateOf(first.complaintId)).to.equal('boardReview.scheduled');
    const again = await openMeeting(services, organiser, [first.complaintId]);
    for (const member of first.members) {
      await services.boardVotes.vote(member, again.items[0]!, await ballotFor(db(), first.complaintId, 'sustained'));
    }
    expect(await stateOf(first.complaintId)).to.equal('disposition');
    expect(await services.boardVotes.closeLapsedReconsiderations()).to.equal(0);

    offset = 45 * DAY;
    let late: unknown;
    try {
      await services.workflow.dispatch(first.complaintId, { type: 'REQUEST_RECONSIDERATION' }, { kind: 'complainant' });
    } catch (error) {
      late = error;
    }
    expect(late).to.be.instanceOf(IllegalTransition);
    expect(await services.boardVotes.closeLapsedReconsiderations()).to.be.greaterThan(0);
    expect(await stateOf(first.complaintId)).to.equal('closed');
    expect(await services.boardVotes.closeLapsedReconsiderations()).to.equal(0);
  });

  it('only supervisors and admins run meetings; a case already on an open agenda cannot be added twice', async () => {
    const [member] = await boardMembersFor(db(), 1);
    let refused: unknown;
    try {
      await services.boardMeetings.schedule(member!, { scheduledFor: new Date(), location: null });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(MeetingNotFound);
    const complaintId = await boardReviewCase(services, db());
    const { meetingId } = await openMeeting(services, organiser, [complaintId]);
    let twice: unknown;
    try {
      await services.boardMeetings.addCase(organiser, meetingId, complaintId);
    } catch (error) {
      twice = error;
    }
    expect(twice).to.be.instanceOf(MeetingStateConflict);
  });

  it('20 simultaneous votes and closes make one decision, keep every accepted vote, and the audit chain holds', async () => {
    const { members, complaintId, meetingId, itemId } = await votingOn(20, {}, { allegations: 2 });
    const ballots = await Promise.all(
      members.map((_, k) => ballotFor(db(), complaintId, k % 3 === 0 ? 'not_sustained' : 'sustained')),
    );
    const attempts = [
      ...members.map((member, k) => () => services.boardVotes.vote(member, itemId, ballots[k]!)),
      // A member changing their mind at the same moment, and three people closing the vote.
      () => services.boardVotes.vote(members[0]!, itemId, ballots[1]!),
      ...[1, 2, 3].map(() => () => services.boardMeetings.closeVoting(organiser, meetingId)),
    ];
    const results = await Promise.allSettled(attempts.map((attempt) => attempt()));
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    for (const failure of failures) {
      expect(failure.reason).to.satisfy(
        (e: unknown) => e instanceof VotingClosed || e instanceof MeetingStateConflict,
        String(failure.reason),
      );
    }
    const closes = results.slice(-3).filter((r) => r.status === 'fulfilled');
    expect(closes).to.have.length(1);
    const decisions = await db()
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'complaint.transition')
      .where('object_id', '=', complaintId)
      .execute();
    const toDisposition = decisions.filter((d) => (d.details as { to?: string }).to === 'disposition');
    const backToWait = decisions.filter((d) => (d.details as { event?: string }).event === 'NO_QUORUM');
    expect(toDisposition.length + backToWait.length).to.equal(1);
    // Every vote that was accepted is there, once per member and allegation.
    const accepted = new Set(members.filter((_, k) => results[k]!.status === 'fulfilled').map((m) => m.userId));
    if (results[20]!.status === 'fulfilled') accepted.add(members[0]!.userId);
    const stored = await db().selectFrom('votes').select('member_id').where('agenda_item_id', '=', itemId).execute();
    expect(stored).to.have.length(accepted.size * 2);
    expect(new Set(stored.map((v) => v.member_id))).to.deep.equal(accepted);
    expect(await services.audit.verify()).to.include({ ok: true });
  });
});
