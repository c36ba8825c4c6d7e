import { may } from '../../domain/policy.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import { agendaOf, meetingById } from './board.repository.js';
import { boardFindingsOf, recusalsOf, votesOfItem } from './boardVote.repository.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';
import { toMeetingView } from './board.view.js';
import { toRecordAllegations, toVoteView, type MeetingRecordView } from './boardVote.view.js';

export type BoardRecordService = ReturnType<typeof boardRecordService>;

/**
 * The board's own minutes of a meeting, for organisers and members: each member's vote per
 * allegation with rationale and recommendation, and the recusals. A member who recused from a
 * case sees that they did, and nothing else of it (R15).
 */
export function boardRecordService(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** The board's record of a meeting: every member's vote per allegation and every recusal. */
    async minutes(viewer: Viewer, meetingId: string): Promise<MeetingRecordView | undefined> {
      if (!may(viewer, 'board.takePart') || !UUID.test(meetingId)) return undefined;
      const meeting = await meetingById(db, meetingId);
      if (!meeting) return undefined;
      const items = await agendaOf(db, meetingId);
      const findings = await boardFindingsOf(
        db,
        items.map((i) => i.id),
      );
      const records = await Promise.all(
        items.map(async (item) => {
          const recusals = await recusalsOf(db, item.complaint_id);
          const votes = (await votesOfItem(db, item.id)).map(toVoteView);
          const mine = recusals.some((r) => r.member_id === viewer.userId);
          return {
            id: item.id,
            publicReference: item.public_reference,
            // A member who recused sees that they did, and nothing of the case.
            trackingNumber: mine ? null : item.tracking_number,
            complaintId: mine ? null : item.complaint_id,
            outcome: item.outcome,
            recusedByViewer: mine,
            recusals: recusals.map((r) => ({ member: r.display_name, at: r.created_at })),
            allegations: mine
              ? []
              : toRecordAllegations(
                  findings.filter((f) => f.agenda_item_id === item.id),
                  votes,
                ),
            allVotes: mine ? [] : votes,
          };
        }),
      );
      return { meeting: toMeetingView(meeting), items: records };
    },
  };
}
