import type { Db } from '../platform/db/database.js';
import { casesAwaitingAgenda } from '../features/board/board.repository.js';
import { allegationsForVote } from '../features/board/boardVote.repository.js';
import type { Viewer } from '../platform/db/caseAccess.js';
import type { Finding } from '../domain/vocabulary.js';
import type { BoardMeetingService } from '../features/board/boardMeeting.service.js';
import type { BoardVoteService } from '../features/board/boardVote.service.js';

const DAY = 86_400_000;
const PLACE = 'City Hall, Room 201';

/**
 * The demo board, built through the board's own services: a past meeting that decided a case
 * (one member recused), today's meeting with its vote open, and next month's with one case on
 * its agenda. One case is left waiting for a supervisor to place.
 */
export async function createDemoMeetings(
  db: Db,
  board: { meetings: BoardMeetingService; votes: BoardVoteService },
  people: { supervisor: string; members: string[] },
) {
  const organiser: Viewer = { userId: people.supervisor, roles: ['supervisor'] };
  const member = (id: string): Viewer => ({ userId: id, roles: ['board'] });
  const waiting = (await casesAwaitingAgenda(db)).map((c) => c.id);
  const today = new Date();
  const at = (days: number, hour: number) => {
    const day = new Date(today.getTime() + days * DAY);
    day.setUTCHours(hour, 0, 0, 0);
    return day;
  };

  const past = await board.meetings.schedule(organiser, { scheduledFor: at(-14, 18), location: PLACE });
  const decidedCase = waiting.shift();
  if (decidedCase) {
    const item = await board.meetings.addCase(organiser, past, decidedCase);
    await board.meetings.openVoting(organiser, past);
    const [first, second, third, fourth, fifth] = people.members;
    if (fifth) await board.votes.recuse(member(fifth), item.id, 'Related to a witness in this case.');
    const allegations = await allegationsForVote(db, decidedCase);
    const ballot = (finding: Finding, recommendation: string | null) =>
      allegations.map((a) => ({ allegationId: a.id, finding, rationale: null, recommendation }));
    const training = 'Retraining in de-escalation and a written reprimand.';
    for (const [id, finding] of [
      [first, 'sustained'],
      [second, 'sustained'],
      [third, 'sustained'],
      [fourth, 'not_sustained'],
    ] as const) {
      if (id) await board.votes.vote(member(id), item.id, ballot(finding, finding === 'sustained' ? training : null));
    }
  }
  await board.meetings.closeVoting(organiser, past);

  const current = await board.meetings.schedule(organiser, { scheduledFor: at(0, 18), location: PLACE });
  for (const complaintId of waiting.splice(0, 3)) await board.meetings.addCase(organiser, current, complaintId);
  await board.meetings.openVoting(organiser, current);

  const next = await board.meetings.schedule(organiser, { scheduledFor: at(28, 18), location: PLACE });
  const later = waiting.shift();
  if (later) await board.meetings.addCase(organiser, next, later);
}
