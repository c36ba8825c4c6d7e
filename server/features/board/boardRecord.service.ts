import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import { agendaOf, boardFindingsOf, meetingById, recusalsOf, votesOfItem } from './board.repository.js';
import { organises } from './boardMeeting.service.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';

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
    async minutes(viewer: Viewer, meetingId: string) {
      if (!(organises(viewer) || viewer.roles.includes('board')) || !UUID.test(meetingId)) return undefined;
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
          const votes = await votesOfItem(db, item.id);
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
              : findingsAndVotes(
                  findings.filter((f) => f.agenda_item_id === item.id),
                  votes,
                ),
            allVotes: mine ? [] : votes,
          };
        }),
      );
      return { meeting, items: records };
    },
  };
}

function findingsAndVotes(
  findings: Array<{
    allegation_id: string;
    category: string;
    finding: string | null;
    votes_cast: number;
    votes_for: number;
    by_tie_rule: boolean;
  }>,
  votes: Array<{
    allegation_id: string;
    display_name: string;
    finding: string;
    rationale: string | null;
    discipline_recommendation: string | null;
  }>,
) {
  return findings.map((f, index) => ({
    number: index + 1,
    category: f.category,
    finding: f.finding,
    votesCast: f.votes_cast,
    votesFor: f.votes_for,
    byTieRule: f.by_tie_rule,
    votes: votes
      .filter((v) => v.allegation_id === f.allegation_id)
      .map((v) => ({
        member: v.display_name,
        finding: v.finding,
        rationale: v.rationale,
        recommendation: v.discipline_recommendation,
      })),
  }));
}
