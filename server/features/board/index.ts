import type { Core } from '../../platform/workflow/index.js';
import { boardMeetingService } from './boardMeeting.service.js';
import { boardMinutesService } from './boardMinutes.service.js';
import { boardRecordService } from './boardRecord.service.js';
import { boardSettingsService } from './boardSettings.service.js';
import { boardVoteService } from './boardVote.service.js';

/** The board: its settings, meetings and agendas, votes with quorum and recusal, minutes, the public record. */
export function boardFeature(
  p: Core,
  agenda: { alsoClose?: Parameters<typeof boardMeetingService>[0]['alsoClose'] } = {},
) {
  const { db, audit, workflow, clock } = p;
  const boardVotes = boardVoteService({ db, audit, workflow, deadlines: p.deadlines, clock });
  return {
    boardSettings: boardSettingsService({ db, audit }),
    boardMeetings: boardMeetingService({
      db,
      audit,
      workflow,
      votes: boardVotes,
      timeZone: p.config.agencyTimeZone,
      clock,
      ...agenda,
    }),
    boardVotes,
    boardMinutes: boardMinutesService({ db }),
    boardRecord: boardRecordService({ db }),
  };
}
