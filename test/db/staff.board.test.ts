import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { DateTime } from 'luxon';
import type { Config } from '../../server/platform/config.js';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Services } from '../../server/compose.js';
import { signInAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { boardReviewCase } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, tokenFrom, type TestStaff } from '../support/staff.js';

const NOT_A_UUID = 'not-a-uuid';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The board's staff pages over HTTP: who may see what (R14, R15), the forms, their errors, and races (R22). */
describe('board pages for staff: meetings, agenda, ballots, recusal, minutes and settings', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let config: Config;
  let supervisorStaff: TestStaff;
  let supervisor: Agent;
  let intake: Agent;
  let investigator: Agent;
  /** Three seated members, signed in. */
  let members: Array<{ staff: TestStaff; agent: Agent; viewer: Viewer }>;
  let organiserViewer: Viewer;

  const db = () => database.db;
  const count = async (table: 'board_meetings' | 'agenda_items' | 'votes' | 'recusals') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stateOf = async (id: string) =>
    (await db().selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
  const meetingStatus = async (id: string) =>
    (await db().selectFrom('board_meetings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const allegationIds = async (complaintId: string) =>
    (
      await db()
        .selectFrom('allegations')
        .select('id')
        .where('complaint_id', '=', complaintId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((a) => a.id);
  const itemOf = async (meetingId: string, complaintId: string) =>
    (
      await db()
        .selectFrom('agenda_items')
        .select(['id', 'public_reference'])
        .where('meeting_id', '=', meetingId)
        .where('complaint_id', '=', complaintId)
        .executeTakeFirstOrThrow()
    ).id;
  const trackingOf = async (complaintId: string) =>
    (
      await db()
        .selectFrom('complaints')
        .select('tracking_number')
        .where('id', '=', complaintId)
        .executeTakeFirstOrThrow()
    ).tracking_number;

  /** A form POST with the token of `from` (a page the agent can see), answered with `status`. */
  const post = async (
    agent: Agent,
    url: string,
    body: Record<string, string | string[]>,
    from: string,
    status: number,
  ) => {
    const res = await agent
      .post(url)
      .type('form')
      .send({ _csrf: await tokenFrom(agent, from), ...body });
    expect(res.status, `${url}: ${res.text.slice(0, 300)}`).to.equal(status);
    return res;
  };

  /** A meeting (by the services) with these cases on its agenda; its vote opened when `open`. */
  const meetingWith = async (complaintIds: string[], open: boolean) => {
    const meetingId = await services.boardMeetings.schedule(organiserViewer, {
      scheduledFor: new Date(),
      location: 'Room 2',
    });
    const items: string[] = [];
    for (const id of complaintIds)
      items.push((await services.boardMeetings.addCase(organiserViewer, meetingId, id)).id);
    if (open) await services.boardMeetings.openVoting(organiserViewer, meetingId);
    return { meetingId, items };
  };

  /** A ballot form's fields: the same finding on every allegation. */
  const ballotFields = (ids: string[], finding: string, extra: Record<string, string> = {}) => ({
    ...Object.fromEntries(ids.flatMap((id) => [[`finding-${id}`, finding]])),
    ...extra,
  });

  before(async () => {
    ({ app, services, config } = testApp(database.handle));
    supervisorStaff = await createStaff(db(), ['supervisor']);
    organiserViewer = { userId: supervisorStaff.id, roles: ['supervisor'] };
    supervisor = await signIn(app, supervisorStaff);
    intake = await signIn(app, await createStaff(db(), ['intake']));
    investigator = await signIn(app, await createStaff(db(), ['investigator']));
    members = [];
    for (const name of ['Avery Member', 'Blake Member', 'Casey Member']) {
      const staff = await createStaff(db(), ['board'], { name });
      members.push({ staff, agent: await signIn(app, staff), viewer: { userId: staff.id, roles: ['board'] } });
    }
    await services.boardSettings.save(supervisorStaff.id, {
      quorum: { kind: 'majority' },
      tieRule: 'not_sustained',
      seated: members.map((m) => m.staff.id),
      seesIdentity: false,
      publicMemberNames: false,
    });
  });

  it('asks before opening the vote of a meeting scheduled for a later day (#17 item 11)', async () => {
    const complaintId = await boardReviewCase(services, db());
    const meetingId = await services.boardMeetings.schedule(organiserViewer, {
      scheduledFor: new Date(Date.now() + 3 * 24 * 60 * 60 * 1000),
      location: 'Room 3',
    });
    await services.boardMeetings.addCase(organiserViewer, meetingId, complaintId);
    const url = `/staff/board/meetings/${meetingId}`;
    const page = await supervisor.get(url).expect(200);
    expect(page.text).to.contain('a later day. Open the vote only if the board is meeting now.');
    const refused = await post(supervisor, `${url}/open`, {}, url, 400);
    expect(errorsOf(refused.text)).to.deep.equal([
      'Confirm that the board is meeting now, or wait for the meeting’s day',
    ]);
    expect(await meetingStatus(meetingId)).to.equal('scheduled');
    await post(supervisor, `${url}/open`, { early: 'yes' }, url, 303);
    expect(await meetingStatus(meetingId)).to.equal('voting');
    // Held early and closed: listed on the day it was held, not as held on a later date.
    await services.boardMeetings.closeVoting(organiserViewer, meetingId);
    const today = new Date().toISOString().slice(0, 10);
    const publicList = await request(app).get('/board?lang=en').expect(200);
    const listed = new RegExp(`href="/board/meetings/${meetingId}"><time datetime="([^"]+)"`).exec(publicList.text);
    expect(listed?.[1]?.slice(0, 10)).to.equal(today);
    const staffList = await supervisor.get('/staff/board').expect(200);
    expect(staffList.text).to.contain(`/staff/board/meetings/${meetingId}`);
  });
  it("shows each member the investigator's draft finding and its reasons on the ballot (#17 item 11)", async () => {
    const complaintId = await boardReviewCase(services, db(), { allegations: 1 });
    await db()
      .updateTable('allegations')
      .set({ draft_finding: 'sustained', draft_rationale: 'The body camera shows the push.' })
      .where('complaint_id', '=', complaintId)
      .execute();
    const { items } = await meetingWith([complaintId], true);
    const ballot = await members[0]!.agent.get(`/staff/board/items/${items[0]}/ballot`).expect(200);
    expect(ballot.text).to.contain('The investigation found:');
    expect(ballot.text).to.contain('Sustained');
    expect(ballot.text).to.contain('The body camera shows the push.');
    const spanish = await members[0]!.agent.get(`/staff/board/items/${items[0]}/ballot?lang=es`).expect(200);
    expect(spanish.text).to.contain('La investigación concluyó:');
    await members[0]!.agent.get(`/staff/board/items/${items[0]}/ballot?lang=en`).expect(200);
  });
  it('the case page offers no board step it cannot take, and names the meeting where it happens (#17 item 1)', async () => {
    const complaintId = await boardReviewCase(services, db());
    const caseUrl = `/staff/cases/${complaintId}`;
    // Waiting for an agenda: said in words, with the meetings for those who run them.
    let page = await supervisor.get(caseUrl).expect(200);
    expect(page.text).not.to.contain('/actions/OPEN_VOTING');
    expect(page.text).not.to.contain('/actions/NO_QUORUM');
    expect(page.text).to.contain('waits to be put on the agenda of a board meeting');
    expect(page.text).to.contain('href="/staff/board"');
    // On an agenda: the meeting is named by its date and linked; the vote is opened there.
    const { meetingId } = await meetingWith([complaintId], false);
    page = await supervisor.get(caseUrl).expect(200);
    expect(page.text).to.contain(`href="/staff/board/meetings/${meetingId}"`);
    expect(page.text).to.match(/board meeting of [A-Z][a-z]+ \d{1,2}, \d{4}/);
    expect(page.text).not.to.contain('/actions/OPEN_VOTING');
    await supervisor.get(`/staff/board/meetings/${meetingId}`).expect(200);
    // Sent anyway (an old page): refused like any step the case page does not offer, nothing changes.
    const before = await stateOf(complaintId);
    const refused = await supervisor
      .post(`${caseUrl}/actions/OPEN_VOTING`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version: '1' });
    expect(refused.status).to.be.oneOf([404, 409]);
    expect(await stateOf(complaintId)).to.equal(before);
    // Intake sees the case but not the board's pages: the meeting is named, not linked.
    const asIntake = await intake.get(caseUrl).expect(200);
    expect(asIntake.text).to.match(/board meeting of [A-Z][a-z]+ \d{1,2}, \d{4}/);
    expect(asIntake.text).not.to.contain(`href="/staff/board/meetings/${meetingId}"`);
    // In Spanish too.
    const spanish = await supervisor.get(`${caseUrl}?lang=es`).expect(200);
    expect(spanish.text).to.contain('reunión de la junta del');
    await supervisor.get(`${caseUrl}?lang=en`).expect(200);
  });
  it('is not there for intake or investigators: 404 on every page and form', async () => {
    const complaintId = await boardReviewCase(services, db());
    const { meetingId, items } = await meetingWith([complaintId], true);
    const before = { meetings: await count('board_meetings'), votes: await count('votes') };
    for (const agent of [intake, investigator]) {
      for (const url of [
        '/staff/board',
        `/staff/board/meetings/${meetingId}`,
        `/staff/board/meetings/${meetingId}/minutes`,
        `/staff/board/meetings/${meetingId}/close`,
        `/staff/board/items/${items[0]}/ballot`,
        '/staff/admin/board',
      ]) {
        await agent.get(url).expect(404);
      }
      const token = await tokenFrom(agent);
      for (const url of [
        '/staff/board/meetings',
        `/staff/board/meetings/${meetingId}/items`,
        `/staff/board/meetings/${meetingId}/items/${items[0]}/remove`,
        `/staff/board/meetings/${meetingId}/open`,
        `/staff/board/meetings/${meetingId}/close`,
        `/staff/board/items/${items[0]}/ballot`,
        `/staff/board/items/${items[0]}/recuse`,
        '/staff/admin/board',
      ]) {
        await agent.post(url).type('form').send({ _csrf: token, confirm: 'yes', reason: 'x' }).expect(404);
      }
      const page = await agent.get('/staff/account').expect(200);
      expect(page.text).not.to.contain('href="/staff/board"');
    }
    expect(await count('board_meetings')).to.equal(before.meetings);
    expect(await count('votes')).to.equal(before.votes);
    expect(await meetingStatus(meetingId)).to.equal('voting');
  });

  it('board members see the meetings and the minutes but cannot schedule, add, remove, open or close (404)', async () => {
    const [a, b] = [await boardReviewCase(services, db()), await boardReviewCase(services, db())];
    const scheduled = await meetingWith([a], false);
    const voting = await meetingWith([b], true);
    const member = members[0]!.agent;
    const list = await member.get('/staff/board').expect(200);
    expect(list.text).to.contain(`/staff/board/meetings/${scheduled.meetingId}`);
    expect(list.text).to.contain('href="/staff/board"');
    expect(list.text).not.to.contain('action="/staff/board/meetings"');
    const page = await member.get(`/staff/board/meetings/${voting.meetingId}`).expect(200);
    expect(page.text).to.contain(`/staff/board/items/${voting.items[0]}/ballot`);
    expect(page.text).not.to.contain('/open"');
    expect(page.text).not.to.contain('/close"');
    await member.get(`/staff/board/meetings/${voting.meetingId}/minutes`).expect(200);
    await member.get(`/staff/board/meetings/${voting.meetingId}/close`).expect(404);
    await member.get('/staff/admin/board').expect(404);
    const waiting = await boardReviewCase(services, db());
    const before = { meetings: await count('board_meetings'), items: await count('agenda_items') };
    const from = '/staff/board';
    await post(member, '/staff/board/meetings', { date: '2026-05-01', time: '18:00' }, from, 404);
    await post(member, `/staff/board/meetings/${scheduled.meetingId}/items`, { complaintId: waiting }, from, 404);
    await post(
      member,
      `/staff/board/meetings/${scheduled.meetingId}/items/${scheduled.items[0]}/remove`,
      {},
      from,
      404,
    );
    await post(member, `/staff/board/meetings/${scheduled.meetingId}/open`, {}, from, 404);
    await post(member, `/staff/board/meetings/${voting.meetingId}/close`, { confirm: 'yes' }, from, 404);
    expect(await count('board_meetings')).to.equal(before.meetings);
    expect(await count('agenda_items')).to.equal(before.items);
    expect(await meetingStatus(scheduled.meetingId)).to.equal('scheduled');
    expect(await meetingStatus(voting.meetingId)).to.equal('voting');
    // A supervisor is no board member: no ballot.
    await supervisor.get(`/staff/board/items/${voting.items[0]}/ballot`).expect(404);
  });

  it('sends an admin without a second factor to set one up, and lets one with it organise', async () => {
    const noCode = await signIn(app, await createStaff(db(), ['admin']));
    for (const url of ['/staff/board', '/staff/admin/board']) {
      const res = await noCode.get(url).expect(303);
      expect(res.headers['location']).to.equal('/staff/account/two-factor');
    }
    const { agent } = await signInAdmin(app, services, db());
    const list = await agent.get('/staff/board').expect(200);
    expect(list.text).to.contain('action="/staff/board/meetings"');
    const home = await agent.get('/staff/admin').expect(200);
    expect(home.text).to.contain('href="/staff/admin/board"');
  });

  it('a supervisor schedules, adds and opens; the members vote through the ballot form and the last vote decides; then it closes', async () => {
    const complaintId = await boardReviewCase(services, db(), { allegations: 2 });
    const tracking = await trackingOf(complaintId);
    const list = await supervisor.get('/staff/board').expect(200);
    const scheduled = await supervisor
      .post('/staff/board/meetings')
      .type('form')
      .send({ _csrf: csrfOf(list.text), date: '2026-07-14', time: '18:30', location: 'City Hall, Room 201' })
      .expect(303);
    const meetingUrl = String(scheduled.headers['location']);
    const meetingId = meetingUrl.split('/').pop()!;
    const row = await db()
      .selectFrom('board_meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(row.scheduled_for.toISOString()).to.equal(
      DateTime.fromISO('2026-07-14T18:30', { zone: config.agencyTimeZone })
        .toUTC()
        .toISO({ suppressMilliseconds: false }),
    );
    expect(row.location).to.equal('City Hall, Room 201');
    const audit = await db()
      .selectFrom('audit_events')
      .select('event_type')
      .where('event_type', '=', 'board.meeting.schedule')
      .execute();
    expect(audit.length).to.be.greaterThan(0);

    let page = await supervisor.get(meetingUrl).expect(200);
    expect(page.text).to.contain('The meeting has been scheduled');
    expect(page.text).to.contain(`<option value="${complaintId}">${tracking}`);
    await supervisor
      .post(`${meetingUrl}/items`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), complaintId })
      .expect(303);
    const itemId = await itemOf(meetingId, complaintId);
    page = await supervisor.get(meetingUrl).expect(200);
    expect(page.text).to.contain(`href="/staff/cases/${complaintId}">${tracking}</a>`);
    expect(page.text).to.contain(`/items/${itemId}/remove`);
    expect(page.text).to.match(/<dd>(Use of force, Discourtesy|Discourtesy, Use of force)<\/dd>/);
    await supervisor
      .post(`${meetingUrl}/open`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(await meetingStatus(meetingId)).to.equal('voting');
    expect(await stateOf(complaintId)).to.equal('boardReview.voting');
    page = await supervisor.get(meetingUrl).expect(200);
    expect(page.text).not.to.contain(`/items/${itemId}/remove`);
    expect(page.text).to.contain(`action="/staff/board/meetings/${meetingId}/close"`);

    const ids = await allegationIds(complaintId);
    const plan = ['sustained', 'sustained', 'not_sustained'];
    for (const [k, member] of members.entries()) {
      const meeting = await member.agent.get(meetingUrl).expect(200);
      expect(meeting.text).to.contain('You have not voted yet.');
      const ballot = await member.agent.get(`/staff/board/items/${itemId}/ballot`).expect(200);
      expect(ballot.text).to.match(/Allegation 1: (Use of force|Discourtesy)/);
      expect(ballot.text).to.contain('Officer Canaryson');
      expect(ballot.text).to.contain('only used when the finding is sustained');
      expect(ballot.text).not.to.contain('Pat Canary');
      const res = await member.agent
        .post(`/staff/board/items/${itemId}/ballot`)
        .type('form')
        .send({
          _csrf: csrfOf(ballot.text),
          ...ballotFields(ids, plan[k]!, {
            [`rationale-${ids[0]}`]: `Reasons of member ${k}`,
            [`recommendation-${ids[0]}`]: 'Retraining in de-escalation',
          }),
        })
        .expect(303);
      if (k < members.length - 1) {
        expect(res.headers['location']).to.equal(`${meetingUrl}#agenda`);
        const back = await member.agent.get(meetingUrl).expect(200);
        expect(back.text).to.contain('Your vote has been saved');
        expect(back.text).to.contain('You have voted.');
        // The ballot shows the member's vote again.
        const again = await member.agent.get(`/staff/board/items/${itemId}/ballot`).expect(200);
        expect(again.text).to.contain(`<option value="${plan[k]}" selected>`);
        expect(again.text).to.contain(`Reasons of member ${k}`);
      } else {
        expect(res.headers['location']).to.equal(`/staff/cases/${complaintId}`);
        const file = await member.agent.get(`/staff/cases/${complaintId}`).expect(200);
        expect(file.text).to.contain('the board has decided this case');
      }
    }
    expect(await stateOf(complaintId)).to.equal('disposition');
    const votes = await db()
      .selectFrom('votes')
      .select(['finding', 'rationale', 'discipline_recommendation'])
      .where('agenda_item_id', '=', itemId)
      .execute();
    expect(votes).to.have.length(6);
    expect(
      votes.filter((v) => v.finding === 'not_sustained').every((v) => v.discipline_recommendation === null),
    ).to.equal(true);
    page = await supervisor.get(meetingUrl).expect(200);
    expect(page.text).to.match(/Status<\/dt>\s*<dd>Decided<\/dd>/);

    // Closing asks first: the meeting page's button shows the confirmation and changes nothing.
    const ask = await supervisor
      .post(`${meetingUrl}/close`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(200);
    expect(ask.text).to.contain('Yes, close voting');
    expect(await meetingStatus(meetingId)).to.equal('voting');
    await supervisor.get(`${meetingUrl}/close`).expect(200);
    await supervisor
      .post(`${meetingUrl}/close`)
      .type('form')
      .send({ _csrf: csrfOf(ask.text), confirm: 'yes' })
      .expect(303);
    expect(await meetingStatus(meetingId)).to.equal('closed');

    const minutes = await supervisor.get(`${meetingUrl}/minutes`).expect(200);
    expect(minutes.text).to.match(/2\. (Use of force|Discourtesy)/);
    expect(minutes.text).to.contain('Votes for: 2 of 3');
    expect(minutes.text).to.contain('Avery Member');
    expect(minutes.text).to.contain('Reasons of member 2');
    expect(minutes.text).to.contain('Retraining in de-escalation');
    expect(minutes.text).to.contain('No member recused.');
    expect(minutes.text).not.to.contain('Pat Canary');
    const memberMinutes = await members[0]!.agent.get(`${meetingUrl}/minutes`).expect(200);
    expect(memberMinutes.text).to.contain('Blake Member');
    // The meeting is closed: members no longer see the case, so no link to it.
    const closed = await members[0]!.agent.get(meetingUrl).expect(200);
    expect(closed.text).to.contain(tracking);
    expect(closed.text).not.to.contain(`href="/staff/cases/${complaintId}"`);
    expect(closed.text).to.contain('See your ballot');
  });

  it('refuses bad input with 400 or 404 and a message, and changes nothing', async () => {
    const complaintId = await boardReviewCase(services, db());
    const scheduled = await meetingWith([complaintId], false);
    const meetingUrl = `/staff/board/meetings/${scheduled.meetingId}`;
    const before = { meetings: await count('board_meetings'), items: await count('agenda_items') };
    const schedule = async (body: Record<string, string>, status: number) => {
      const res = await post(supervisor, '/staff/board/meetings', body, '/staff/board', status);
      return errorsOf(res.text);
    };
    expect(await schedule({ date: '', time: '18:00' }, 400)).to.deep.equal(['Enter the date of the meeting']);
    expect(await schedule({ time: '18:00' }, 400)).to.deep.equal(['Enter the date of the meeting']);
    expect(await schedule({ date: '2026-02-30', time: '18:00' }, 400)).to.deep.equal([
      'Enter a real date between 1900 and 2199, for example 2026-03-31',
    ]);
    expect(await schedule({ date: '2300-01-01', time: '18:00' }, 400)).to.have.length(1);
    expect(await schedule({ date: '2026-05-01', time: '25:00' }, 400)).to.deep.equal([
      'Enter a time as hours and minutes on a 24-hour clock, for example 18:30',
    ]);
    expect(await schedule({ date: '2026-05-01', time: '6pm' }, 400)).to.have.length(1);
    expect(await schedule({ date: '2026-05-01', time: '18:00', location: 'x'.repeat(501) }, 400)).to.deep.equal([
      'The place must be 500 characters or fewer',
    ]);
    const extra = { date: '2026-05-01', time: '18:00', extra: '1' };
    const unknownField = await post(supervisor, '/staff/board/meetings', extra, '/staff/board', 400);
    expect(unknownField.text).to.contain('This form had a field we do not accept');
    // A past date is allowed (recording a meeting held), within 1900–2199.
    await post(supervisor, '/staff/board/meetings', { date: '1999-12-31', time: '09:00' }, '/staff/board', 303);
    expect(await count('board_meetings')).to.equal(before.meetings + 1);

    const add = async (complaint: string) =>
      errorsOf((await post(supervisor, `${meetingUrl}/items`, { complaintId: complaint }, meetingUrl, 400)).text);
    expect(await add(UNKNOWN)).to.deep.equal(['Choose one of the cases waiting for a meeting']);
    expect(await add(NOT_A_UUID)).to.have.length(1);
    expect(await add('')).to.deep.equal(['Choose a case to add']);
    // The case already on this agenda is not waiting.
    expect(await add(complaintId)).to.have.length(1);
    await post(supervisor, `/staff/board/meetings/${NOT_A_UUID}/items`, { complaintId }, meetingUrl, 404);
    await post(supervisor, `/staff/board/meetings/${UNKNOWN}/open`, {}, meetingUrl, 404);
    await post(supervisor, `${meetingUrl}/items/${NOT_A_UUID}/remove`, {}, meetingUrl, 404);
    await post(supervisor, `${meetingUrl}/items/${UNKNOWN}/remove`, {}, meetingUrl, 404);
    await supervisor.get(`/staff/board/meetings/${NOT_A_UUID}`).expect(404);
    await supervisor.get(`/staff/board/meetings/${UNKNOWN}`).expect(404);
    await supervisor.get(`/staff/board/meetings/${UNKNOWN}/minutes`).expect(404);
    expect(await count('agenda_items')).to.equal(before.items);

    // Steps the meeting's state refuses: 409 with the reason, nothing changed.
    const closeScheduled = await post(supervisor, `${meetingUrl}/close`, { confirm: 'yes' }, meetingUrl, 409);
    expect(closeScheduled.text).to.contain('Voting at this meeting is not open, so it cannot be closed');
    await post(supervisor, `${meetingUrl}/open`, { extra: '1' }, meetingUrl, 400);
    const early = await post(
      members[0]!.agent,
      `/staff/board/items/${scheduled.items[0]}/ballot`,
      ballotFields(await allegationIds(complaintId), 'sustained'),
      '/staff/board',
      409,
    );
    expect(early.text).to.contain('Voting on this case has not opened yet, so your vote was not saved.');
    expect(await meetingStatus(scheduled.meetingId)).to.equal('scheduled');
    await post(supervisor, `${meetingUrl}/open`, {}, meetingUrl, 303);
    const reopen = await post(supervisor, `${meetingUrl}/open`, {}, meetingUrl, 409);
    expect(reopen.text).to.contain('That is only possible before voting opens');
    await post(supervisor, `${meetingUrl}/items/${scheduled.items[0]}/remove`, {}, meetingUrl, 409);
    expect(await count('agenda_items')).to.equal(before.items);

    // Ballots.
    const itemId = scheduled.items[0]!;
    const ids = await allegationIds(complaintId);
    const member = members[0]!.agent;
    const ballotUrl = `/staff/board/items/${itemId}/ballot`;
    const vote = async (body: Record<string, string>, status: number) =>
      errorsOf((await post(member, ballotUrl, body, ballotUrl, status)).text);
    const votesBefore = await count('votes');
    expect(await vote({}, 400)).to.deep.equal(ids.map(() => 'Choose a finding for this allegation'));
    expect(await vote(ballotFields(ids, 'guilty'), 400)).to.have.length(ids.length);
    expect(
      await vote(ballotFields(ids, 'sustained', { [`rationale-${ids[0]}`]: 'x'.repeat(10_001) }), 400),
    ).to.deep.equal(['Your reasons must be 10,000 characters or fewer']);
    expect(
      await vote(ballotFields(ids, 'sustained', { [`recommendation-${ids[1]}`]: 'x'.repeat(5001) }), 400),
    ).to.deep.equal(['The recommendation must be 5,000 characters or fewer']);
    const unknownKey = await post(
      member,
      ballotUrl,
      ballotFields(ids, 'sustained', { [`finding-${UNKNOWN}`]: 'sustained' }),
      ballotUrl,
      400,
    );
    expect(unknownKey.text).to.contain('This form had a field we do not accept');
    const kept = await post(
      member,
      ballotUrl,
      ballotFields(ids, 'guilty', { [`rationale-${ids[0]}`]: 'Kept text' }),
      ballotUrl,
      400,
    );
    expect(kept.text).to.contain('Kept text');
    expect(await count('votes')).to.equal(votesBefore);
    for (const url of [`/staff/board/items/${NOT_A_UUID}/ballot`, `/staff/board/items/${UNKNOWN}/ballot`]) {
      await member.get(url).expect(404);
      await post(member, url, ballotFields(ids, 'sustained'), ballotUrl, 404);
    }
    await post(member, `/staff/board/items/${NOT_A_UUID}/recuse`, { reason: 'x', confirm: 'yes' }, ballotUrl, 404);

    // Recusal needs a reason and a confirmation.
    const recusalsBefore = await count('recusals');
    const recuse = async (body: Record<string, string>) =>
      errorsOf((await post(member, `/staff/board/items/${itemId}/recuse`, body, ballotUrl, 400)).text);
    expect(await recuse({ confirm: 'yes' })).to.deep.equal(['Enter the reason you are recusing']);
    expect(await recuse({ reason: '   ', confirm: 'yes' })).to.deep.equal(['Enter the reason you are recusing']);
    expect(await recuse({ reason: 'x'.repeat(2001), confirm: 'yes' })).to.deep.equal([
      'The reason must be 2,000 characters or fewer',
    ]);
    expect(await recuse({ reason: 'My neighbour' })).to.deep.equal(['Confirm that you want to recuse from this case']);
    expect(await count('recusals')).to.equal(recusalsBefore);
  });

  it('a recused member gets 404 on the ballot and the case page, and sees only that they recused', async () => {
    const complaintId = await boardReviewCase(services, db());
    const tracking = await trackingOf(complaintId);
    const { meetingId, items } = await meetingWith([complaintId], true);
    const itemId = items[0]!;
    const [recusing, ...others] = members;
    const ballotUrl = `/staff/board/items/${itemId}/ballot`;
    await recusing!.agent.get(`/staff/cases/${complaintId}`).expect(200);
    const ballot = await recusing!.agent.get(ballotUrl).expect(200);
    const res = await recusing!.agent
      .post(`/staff/board/items/${itemId}/recuse`)
      .type('form')
      .send({ _csrf: csrfOf(ballot.text), reason: 'The officer is my cousin.', confirm: 'yes' })
      .expect(303);
    expect(res.headers['location']).to.equal(`/staff/board/meetings/${meetingId}#agenda`);
    const page = await recusing!.agent.get(`/staff/board/meetings/${meetingId}`).expect(200);
    expect(page.text).to.contain('You have recused from the case');
    await recusing!.agent.get(ballotUrl).expect(404);
    await recusing!.agent.get(`/staff/cases/${complaintId}`).expect(404);
    await post(
      recusing!.agent,
      ballotUrl,
      ballotFields(await allegationIds(complaintId), 'sustained'),
      '/staff/board',
      404,
    );
    await post(
      recusing!.agent,
      `/staff/board/items/${itemId}/recuse`,
      { reason: 'again', confirm: 'yes' },
      '/staff/board',
      404,
    );
    expect(page.text).to.contain('You recused from this case.');
    expect(page.text).to.contain(
      (
        await db()
          .selectFrom('agenda_items')
          .select('public_reference')
          .where('id', '=', itemId)
          .executeTakeFirstOrThrow()
      ).public_reference,
    );
    expect(page.text).not.to.contain(tracking);
    expect(page.text).not.to.contain(ballotUrl);
    expect(page.text).not.to.contain(complaintId);
    const minutes = await recusing!.agent.get(`/staff/board/meetings/${meetingId}/minutes`).expect(200);
    expect(minutes.text).not.to.contain(tracking);
    expect(minutes.text).not.to.contain('cousin');
    // The others decide without them, and their minutes name the recusal, not its reason.
    for (const other of others) {
      await post(other.agent, ballotUrl, ballotFields(await allegationIds(complaintId), 'exonerated'), ballotUrl, 303);
    }
    expect(await stateOf(complaintId)).to.equal('disposition');
    const theirs = await others[0]!.agent.get(`/staff/board/meetings/${meetingId}/minutes`).expect(200);
    expect(theirs.text).to.contain('Avery Member');
    expect(theirs.text).not.to.contain('cousin');
  });

  it('refuses a vote after the close with a clear message and keeps the vote as it was', async () => {
    const complaintId = await boardReviewCase(services, db());
    const { meetingId, items } = await meetingWith([complaintId], true);
    const itemId = items[0]!;
    const ids = await allegationIds(complaintId);
    const member = members[1]!.agent;
    const ballotUrl = `/staff/board/items/${itemId}/ballot`;
    const ballot = await member.get(ballotUrl).expect(200);
    await post(member, ballotUrl, ballotFields(ids, 'unfounded'), ballotUrl, 303);
    await services.boardMeetings.closeVoting(organiserViewer, meetingId);
    const refused = await member
      .post(ballotUrl)
      .type('form')
      .send({ _csrf: csrfOf(ballot.text), ...ballotFields(ids, 'sustained') })
      .expect(409);
    expect(refused.text).to.contain('Voting on this case has closed, so your vote was not saved');
    expect(refused.text).not.to.contain('Save my vote');
    const mine = await db().selectFrom('votes').select('finding').where('agenda_item_id', '=', itemId).execute();
    expect(mine.map((v) => v.finding)).to.deep.equal(ids.map(() => 'unfounded'));
    const readOnly = await member.get(ballotUrl).expect(200);
    expect(readOnly.text).to.contain('Voting on this case is closed');
    expect(readOnly.text).to.contain('Unfounded');
  });

  it('answers a form without its token like other staff forms (403) and changes nothing', async () => {
    const complaintId = await boardReviewCase(services, db());
    const { meetingId, items } = await meetingWith([complaintId], true);
    const before = {
      meetings: await count('board_meetings'),
      votes: await count('votes'),
      recusals: await count('recusals'),
    };
    await supervisor.post('/staff/board/meetings').type('form').send({ date: '2026-05-01', time: '18:00' }).expect(403);
    await supervisor.post(`/staff/board/meetings/${meetingId}/close`).type('form').send({ confirm: 'yes' }).expect(403);
    const ids = await allegationIds(complaintId);
    await members[0]!.agent
      .post(`/staff/board/items/${items[0]}/ballot`)
      .type('form')
      .send({ _csrf: 'forged', ...ballotFields(ids, 'sustained') })
      .expect(403);
    await members[0]!.agent
      .post(`/staff/board/items/${items[0]}/recuse`)
      .type('form')
      .send({ reason: 'x', confirm: 'yes' })
      .expect(403);
    expect(await count('board_meetings')).to.equal(before.meetings);
    expect(await count('votes')).to.equal(before.votes);
    expect(await count('recusals')).to.equal(before.recusals);
    expect(await meetingStatus(meetingId)).to.equal('voting');
  });

  it('shows every page in Spanish', async () => {
    const complaintId = await boardReviewCase(services, db());
    const { meetingId, items } = await meetingWith([complaintId], true);
    const checks: Array<[Agent, string, string]> = [
      [supervisor, '/staff/board?lang=es', 'Programar una reunión'],
      [supervisor, `/staff/board/meetings/${meetingId}?lang=es`, 'Cerrar la votación'],
      [supervisor, `/staff/board/meetings/${meetingId}/close?lang=es`, 'Sí, cerrar la votación'],
      [supervisor, `/staff/board/meetings/${meetingId}/minutes?lang=es`, 'Acta: reunión de la junta'],
      [members[0]!.agent, `/staff/board/items/${items[0]}/ballot?lang=es`, 'Guardar mi voto'],
    ];
    for (const [agent, url, text] of checks) {
      const page = await agent.get(url).expect(200);
      expect(page.text, url).to.contain(text);
      expect(page.text, url).to.contain('<html lang="es">');
    }
    const ballot = await members[0]!.agent.get(`/staff/board/items/${items[0]}/ballot?lang=es`).expect(200);
    expect(ballot.text).to.contain('Fundada');
    for (const agent of [supervisor, members[0]!.agent]) await agent.get('/staff/board?lang=en').expect(200);
  });

  it('the admin saves the board settings: 400 with a summary on bad input, unknown members refused, audited', async () => {
    const { agent } = await signInAdmin(app, services, db());
    const page = await agent.get('/staff/admin/board').expect(200);
    for (const m of members) expect(page.text).to.contain(`value="${m.staff.id}" checked`);
    const seated = members.map((m) => m.staff.id);
    const good = {
      seated,
      quorum: 'majority',
      quorumCount: '',
      tieRule: 'carry_over',
      seesIdentity: 'no',
      publicMemberNames: 'yes',
    };
    const save = (body: Record<string, string | string[]>, status: number) =>
      post(agent, '/staff/admin/board', body, '/staff/admin/board', status);
    const events = async () =>
      (await db().selectFrom('audit_events').select('id').where('event_type', '=', 'board.settings.change').execute())
        .length;
    const auditBefore = await events();
    for (const [bad, message] of [
      [{ seated: [...seated, UNKNOWN] as string[] }, 'Choose only people from the list of board members'],
      [{ seated: [supervisorStaff.id] }, 'Choose only people from the list of board members'],
      [{ quorum: 'fixed', quorumCount: '0' }, 'Enter a whole number from 1 to 50'],
      [{ quorum: 'fixed', quorumCount: '51' }, 'Enter a whole number from 1 to 50'],
      [{ quorum: 'fixed', quorumCount: '' }, 'Enter a whole number from 1 to 50'],
      [{ quorum: 'fixed', quorumCount: '4' }, 'The fixed number cannot be more than the members seated'],
      [{ quorum: 'some' }, 'Choose how the quorum is counted'],
      [{ tieRule: 'coin' }, 'Choose what a tie decides'],
      [{ seesIdentity: '' }, 'Choose whether members see the complainant&#39;s identity'],
      [{ publicMemberNames: 'maybe' }, 'Choose whether the public minutes name the members'],
    ] as Array<[Record<string, string | string[]>, string]>) {
      const res = await save({ ...good, ...bad }, 400);
      expect(res.text).to.contain('id="error-summary"');
      expect(res.text).to.contain(message);
    }
    expect(await events()).to.equal(auditBefore);
    await save({ ...good, quorum: 'fixed', quorumCount: '3' }, 303);
    let view = await services.boardSettings.view();
    expect(view.quorum).to.deep.equal({ kind: 'fixed', count: 3 });
    expect(view.tieRule).to.equal('carry_over');
    expect(view.publicMemberNames).to.equal(true);
    expect(view.seesIdentity).to.equal(false);
    const after = await agent.get('/staff/admin/board').expect(200);
    expect(after.text).to.contain('The board settings have been saved.');
    expect(after.text).to.contain('id="field-quorumCount" name="quorumCount" type="text" value="3"');
    // Unseating everyone is allowed (between terms); back to the majority rule.
    await save({ ...good, seated: [] }, 303);
    view = await services.boardSettings.view();
    expect(view.seated).to.deep.equal([]);
    expect(await events()).to.equal(auditBefore + 2);
    const event = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'board.settings.change')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(event)).to.contain('carry_over');
    // An unseated member has no ballot: the meeting page says so.
    const complaintId = await boardReviewCase(services, db());
    const { meetingId, items } = await meetingWith([complaintId], true);
    await members[0]!.agent.get(`/staff/board/items/${items[0]}/ballot`).expect(404);
    const meeting = await members[0]!.agent.get(`/staff/board/meetings/${meetingId}`).expect(200);
    expect(meeting.text).to.contain('You are not seated on the board');
    await save(good, 303);
  });
});
