import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { ballotFor, boardReviewCase, openMeeting, organiserFor } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';

const MEMBER_NAMES = ['Harriet Votewell', 'Ignatius Ballotby', 'Josefina Quorumez'];
const DISCIPLINE = 'DISCIPLINE-SECRET suspend for ten days';
const DAY = 86_400_000;

describe('public board pages: meetings, agenda and minutes name nobody (R15)', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let organiser: Viewer;
  let members: Viewer[];
  let held: string;
  let upcoming: string;
  const trackingNumbers: string[] = [];
  const complaintIds: string[] = [];

  const db = () => database.db;
  const seat = (publicMemberNames: boolean, tieRule: 'not_sustained' | 'carry_over' = 'not_sustained') =>
    services.boardSettings.save(organiser.userId, {
      quorum: { kind: 'majority' },
      tieRule,
      seated: members.map((m) => m.userId),
      seesIdentity: false,
      publicMemberNames,
    });
  /** A case on its way to the board, with a district, a March receipt and a rostered officer named. */
  const plantedCase = async () => {
    const id = await boardReviewCase(services, db(), { allegations: 2, categories: ['force', 'discourtesy'] });
    await db()
      .updateTable('complaints')
      .set({ district: 'northside', received_at: new Date('2026-03-17T18:00:00Z') })
      .where('id', '=', id)
      .execute();
    const officer = await db()
      .insertInto('officers')
      .values({ first_name: 'Corvina', last_name: 'Canarywing', badge_number: `CANARY-${complaintIds.length + 1}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const first = await db()
      .selectFrom('allegations')
      .select('id')
      .where('complaint_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db().updateTable('allegations').set({ officer_id: officer.id }).where('id', '=', first.id).execute();
    const { tracking_number } = await db()
      .selectFrom('complaints')
      .select('tracking_number')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    trackingNumbers.push(tracking_number);
    complaintIds.push(id);
    return id;
  };

  /** Nothing of anybody's identity: no canary, tracking number, case id, discipline or exact day. */
  const expectAnonymous = (html: string, options: { names: boolean } = { names: false }) => {
    expect(html).not.to.match(/canary/i);
    expect(html).not.to.include('Corvina');
    expect(html).not.to.include(DISCIPLINE);
    expect(html).not.to.match(/\bOC-[2-9A-Z]{4}-[2-9A-Z]{4}\b/);
    for (const tracking of trackingNumbers) expect(html).not.to.include(tracking);
    for (const id of complaintIds) expect(html).not.to.include(id);
    expect(html).not.to.include('2026-03-17');
    expect(html).not.to.match(/March 17|17 de marzo/);
    if (!options.names) for (const name of MEMBER_NAMES) expect(html).not.to.include(name);
  };

  before(async () => {
    ({ app, services } = testApp(database.handle));
    organiser = await organiserFor(db());
    members = [];
    for (const name of MEMBER_NAMES) {
      const staff = await createStaff(db(), ['board'], { name });
      members.push({ userId: staff.id, roles: ['board'] });
    }
    await seat(false);
    await db()
      .insertInto('districts')
      .values({ code: 'northside', name_en: 'Northside District', name_es: 'Distrito Norte' })
      .execute();

    // A meeting that decides one case (one allegation by the tie rule) and lacks a quorum on another.
    const decided = await plantedCase();
    const short = await plantedCase();
    const opened = await openMeeting(services, organiser, [decided, short]);
    held = opened.meetingId;
    const plans = [
      ['sustained', 'sustained'],
      ['sustained', 'exonerated'],
      ['exonerated', 'unfounded'],
    ] as const;
    for (const [k, member] of members.entries()) {
      await services.boardVotes.vote(
        member,
        opened.items[0]!,
        await ballotFor(db(), decided, [...plans[k]!], DISCIPLINE),
      );
    }
    await services.boardVotes.vote(members[0]!, opened.items[1]!, await ballotFor(db(), short, 'sustained'));
    await services.boardMeetings.closeVoting(organiser, held);

    // A meeting in four weeks with one case on its agenda.
    const waiting = await plantedCase();
    upcoming = await services.boardMeetings.schedule(organiser, {
      scheduledFor: new Date(Date.now() + 28 * DAY),
      location: 'Council Chambers, 200 Civic Plaza',
    });
    await services.boardMeetings.addCase(organiser, upcoming, waiting);
  });

  it('lists upcoming and past meetings with time, place, number of cases and status, linking each', async () => {
    const res = await request(app).get('/board?lang=en').expect(200);
    expect(res.text).to.include('Upcoming meetings');
    expect(res.text).to.include('Past meetings');
    expect(res.text).to.include(`href="/board/meetings/${held}"`);
    expect(res.text).to.include(`href="/board/meetings/${upcoming}"`);
    expect(res.text).to.include('Room 1');
    expect(res.text).to.include('Council Chambers, 200 Civic Plaza');
    expect(res.text).to.include('Held: minutes published');
    expect(res.text).to.include('Scheduled');
    // In the agency's time zone, with the zone named.
    expect(res.text).to.match(/\d{1,2}:\d{2}\s?[AP]M P[SD]T/);
    expectAnonymous(res.text);

    const es = await request(app).get('/board?lang=es').expect(200);
    expect(es.text).to.include('<html lang="es">');
    expect(es.text).to.include('Próximas reuniones');
    expect(es.text).to.include('Celebrada: acta publicada');
    expectAnonymous(es.text);
  });

  it('shows an agenda before the vote: public reference, categories, district and month, no outcome', async () => {
    const res = await request(app).get(`/board/meetings/${upcoming}?lang=en`).expect(200);
    expect(res.text).to.match(/Case BR-\d{4}-\d{3}/);
    // Allegations made in one statement share a time: their order is the order of their ids.
    expect(res.text).to.match(/<dd>(Use of force, Discourtesy|Discourtesy, Use of force)<\/dd>/);
    expect(res.text).to.include('Northside District');
    expect(res.text).to.include('March 2026');
    expect(res.text).to.include('will be published here once the vote has closed');
    expect(res.text).not.to.include('Outcome:');
    expect(res.text).not.to.include('Sustained');
    expectAnonymous(res.text);

    const es = await request(app).get(`/board/meetings/${upcoming}?lang=es`).expect(200);
    expect(es.text).to.match(/<dd>(Uso de la fuerza, Descortesía|Descortesía, Uso de la fuerza)<\/dd>/);
    expect(es.text).to.include('Distrito Norte');
    expect(es.text).to.include('marzo de 2026');
    expectAnonymous(es.text);
  });

  it('publishes the minutes once the vote has closed: outcome, tally and the tie rule, without names', async () => {
    const res = await request(app).get(`/board/meetings/${held}?lang=en`).expect(200);
    expect(res.text).to.include('Agenda and minutes');
    expect(res.text).to.include('Outcome:</strong> Decided');
    expect(res.text).to.match(/>1\. (Use of force|Discourtesy)</);
    expect(res.text).to.match(/>2\. (Use of force|Discourtesy)</);
    expect(res.text).to.include('Sustained');
    expect(res.text).to.include('2 of 3 votes');
    expect(res.text).to.include('Not sustained');
    expect(res.text).to.include('0 of 3 votes, decided by the tie rule');
    expect(res.text).to.include('means that no finding had the votes of more than half');
    expect(res.text).to.include('No quorum: to be heard at a later meeting');
    expect(res.text).to.include('without the members&#39; names');
    expectAnonymous(res.text);

    const es = await request(app).get(`/board/meetings/${held}?lang=es`).expect(200);
    expect(es.text).to.include('<html lang="es">');
    expect(es.text).to.include('Orden del día y acta');
    expect(es.text).to.include('Resultado:</strong> Decidido');
    expect(es.text).to.include('Fundada');
    expect(es.text).to.include('2 de 3 votos');
    expect(es.text).to.include('decidido por la regla de empate');
    expect(es.text).to.include('Sin quórum: se verá en una reunión posterior');
    expect(es.text).to.include('marzo de 2026');
    expectAnonymous(es.text);
  });

  it('names each member with their vote only when the board makes names public', async () => {
    await seat(true);
    try {
      const res = await request(app).get(`/board/meetings/${held}?lang=en`).expect(200);
      expect(res.text).to.include('Harriet Votewell: Sustained');
      expect(res.text).to.include('Ignatius Ballotby: Exonerated');
      expect(res.text).to.include('Josefina Quorumez: Unfounded');
      expectAnonymous(res.text, { names: true });
      const es = await request(app).get(`/board/meetings/${held}?lang=es`).expect(200);
      expect(es.text).to.include('Harriet Votewell: Fundada');
      // The agenda of a meeting not yet held names nobody, and the list never does.
      expectAnonymous((await request(app).get(`/board/meetings/${upcoming}`).expect(200)).text);
      expectAnonymous((await request(app).get('/board').expect(200)).text);
    } finally {
      await seat(false);
    }
    expectAnonymous((await request(app).get(`/board/meetings/${held}`).expect(200)).text);
  });

  it('says when a split vote carried a case over under the "carry over" tie rule', async () => {
    await seat(false, 'carry_over');
    try {
      const split = await plantedCase();
      const { meetingId, items } = await openMeeting(services, organiser, [split]);
      for (const [k, member] of members.entries()) {
        const finding = (['sustained', 'exonerated', 'unfounded'] as const)[k]!;
        await services.boardVotes.vote(member, items[0]!, await ballotFor(db(), split, finding));
      }
      await services.boardMeetings.closeVoting(organiser, meetingId);
      const res = await request(app).get(`/board/meetings/${meetingId}?lang=en`).expect(200);
      expect(res.text).to.include('Undecided: carried over to a later meeting');
      expect(res.text).to.include('No finding: carried over');
      expect(res.text).to.include('3 votes cast');
      expect(res.text).not.to.include('of 3 votes');
      expect(res.text).not.to.include('means that no finding had the votes of more than half');
      expectAnonymous(res.text);
      const es = await request(app).get(`/board/meetings/${meetingId}?lang=es`).expect(200);
      expect(es.text).to.include('Sin decidir: pasa a una reunión posterior');
      expect(es.text).to.include('3 votos emitidos');
      expectAnonymous(es.text);
    } finally {
      await seat(false);
    }
  });

  it('answers an unknown or malformed meeting id with the not-found page, in the reader’s language', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', "1' or '1'='1", '%00']) {
      const res = await request(app).get(`/board/meetings/${id}?lang=en`);
      expect(res.status, id).to.equal(404);
      expect(res.text).to.include('Page not found');
    }
    const es = await request(app).get('/board/meetings/00000000-0000-4000-8000-000000000000?lang=es').expect(404);
    expect(es.text).to.include('<html lang="es">');
  });

  it('is linked from the home page and from how it works', async () => {
    for (const path of ['/', '/how-it-works']) {
      const res = await request(app).get(`${path}?lang=en`).expect(200);
      expect(res.text).to.include('href="/board"');
    }
  });
});
