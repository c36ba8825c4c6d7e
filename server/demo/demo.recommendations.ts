import type { Db } from '../platform/db/database.js';
import type { Clock } from '../platform/clock.js';
import type { Viewer } from '../platform/db/caseAccess.js';
import type { BoardMeetingService } from '../features/board/boardMeeting.service.js';
import type { RecommendationService } from '../features/recommendations/recommendation.service.js';
import type { RecommendationVoteService } from '../features/recommendations/recommendationVote.service.js';
import { meetingsNotClosed } from '../features/recommendations/recommendationBoard.repository.js';

const DAY = 86_400_000;
const day = (at: Date) => at.toISOString().slice(0, 10);

const SEARCHES = {
  titleEn: 'Record the reason for every vehicle search',
  titleEs: 'Registrar el motivo de cada registro de vehículo',
  bodyEn:
    'Officers should state on body camera, before a vehicle search begins, the legal basis for the search, and the department should review a sample of these recordings each quarter.',
  bodyEs:
    'Los agentes deberían indicar ante la cámara corporal, antes de empezar el registro de un vehículo, la base legal del registro, y el departamento debería revisar cada trimestre una muestra de estas grabaciones.',
  basisEn: 'A pattern of complaints about searches during traffic stops in which no reason was given.',
  basisEs: 'Un patrón de quejas sobre registros durante paradas de tráfico en los que no se dio ningún motivo.',
  cases: [],
};
const LANGUAGE_ACCESS = {
  titleEn: 'Interpreters at every traffic stop with a resident who does not speak English',
  titleEs: 'Intérpretes en cada parada de tráfico con un residente que no habla inglés',
  bodyEn:
    'The department should give every patrol officer access to a telephone interpreter and require its use when a resident asks for one or does not speak English.',
  bodyEs:
    'El departamento debería dar a cada agente de patrulla acceso a un intérprete telefónico y exigir su uso cuando un residente lo pida o no hable inglés.',
  basisEn: 'Complaints from Spanish-speaking residents who could not understand what they were asked to do.',
  basisEs: 'Quejas de residentes hispanohablantes que no entendieron lo que se les pedía.',
  cases: [],
};
const DISCOURTESY = {
  titleEn: 'Training on courtesy during stops',
  titleEs: 'Capacitación sobre la cortesía durante las paradas',
  bodyEn: 'Every officer should take a yearly course on courteous communication during stops.',
  bodyEs: 'Cada agente debería hacer un curso anual sobre comunicación cortés durante las paradas.',
  basisEn: 'Discourtesy is the most common allegation the agency received this year.',
  basisEs: 'La descortesía es la acusación más frecuente que recibió la agencia este año.',
  cases: [],
};

/**
 * The demo's policy recommendations (#19), through the services on the demo's clock: one adopted
 * five months ago that the department partly accepted and is putting into practice, one adopted
 * the same day still waiting for its response (overdue), and a draft on the next meeting's agenda.
 */
export async function createDemoRecommendations(
  db: Db,
  history: {
    now: Date;
    recommendationsAt: (clock: Clock) => { recommendations: RecommendationService; votes: RecommendationVoteService };
  },
  board: { meetings: BoardMeetingService },
  people: { supervisor: string; members: string[] },
): Promise<number> {
  let at = new Date(history.now.getTime() - 150 * DAY);
  const { recommendations, votes } = history.recommendationsAt(() => at);
  const organiser: Viewer = { userId: people.supervisor, roles: ['supervisor'] };
  const adopted = [
    await recommendations.create(organiser, SEARCHES),
    await recommendations.create(organiser, LANGUAGE_ACCESS),
  ];
  const meeting = await board.meetings.schedule(organiser, { scheduledFor: at, location: 'City Hall, Room 201' });
  const items = [];
  for (const id of adopted) items.push(await votes.addToAgenda(organiser, meeting, id));
  await board.meetings.openVoting(organiser, meeting);
  for (const [k, member] of people.members.entries()) {
    for (const item of items)
      await votes.vote({ userId: member, roles: ['board'] }, meeting, item, k === 4 ? 'reject' : 'adopt', null);
  }
  await board.meetings.closeVoting(organiser, meeting);

  const record = async (daysAfter: number, status: string, body: string) => {
    at = new Date(history.now.getTime() - (150 - daysAfter) * DAY);
    await recommendations.recordUpdate(organiser, adopted[0]!, {
      kind: ['in_progress', 'implemented', 'not_implemented'].includes(status) ? 'implementation' : 'response',
      status: status as 'accepted',
      body,
      occurredOn: day(at),
    });
  };
  await record(40, 'under_study', 'The department is reviewing its search policy with the city attorney.');
  await record(
    80,
    'partially_accepted',
    'Officers will state the legal basis on camera; quarterly reviews will be yearly.',
  );
  await record(120, 'in_progress', 'The new general order is written; training starts next month.');

  at = history.now;
  const draft = await recommendations.create(organiser, DISCOURTESY);
  const next = (await meetingsNotClosed(db)).find((m) => m.status === 'scheduled');
  if (next) await votes.addToAgenda(organiser, next.id, draft);
  return 3;
}
