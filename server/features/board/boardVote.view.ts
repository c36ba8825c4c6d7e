import type { AgendaOutcome, Finding } from '../../domain/vocabulary.js';
import type * as votes from './boardVote.repository.js';
import type { MeetingStatus, MeetingView, Rows } from './board.view.js';

// Ballots, votes and the board's own record of a meeting as its pages read them: named fields, not
// table rows. The repositories return rows; the services map them here.

type VoteItemRow = Rows<typeof votes.itemToVoteOn>;
type AllegationRow = Rows<typeof votes.allegationsForVote>[number];
type VoteRow = Rows<typeof votes.votesOfItem>[number];
type FindingRow = Rows<typeof votes.boardFindingsOf>[number];

/** The agenda item a ballot is on, with its meeting's status and its case. */
export interface BallotItemView {
  id: string;
  meetingId: string;
  complaintId: string;
  round: number;
  outcome: AgendaOutcome | null;
  publicReference: string;
  meetingStatus: MeetingStatus;
  trackingNumber: string;
  state: string;
  version: number;
}

/** An allegation a member votes on, with the officer of the roster or the description given. */
export interface BallotAllegationView {
  id: string;
  category: string;
  draftFinding: Finding | null;
  /** The investigator's reasons for the draft finding, shown on the ballot beside it (#17 item 11). */
  draftRationale: string | null;
  officerDescription: string | null;
  officerFirstName: string | null;
  officerLastName: string | null;
  officerBadgeNumber: string | null;
}

/** One member's vote on one allegation. */
export interface VoteView {
  allegationId: string;
  memberId: string;
  memberName: string;
  finding: Finding;
  rationale: string | null;
  recommendation: string | null;
  updatedAt: Date;
}

/** A member's ballot on one item: the allegations, the member's current votes, whether it is open. */
export interface BallotView {
  item: BallotItemView;
  allegations: BallotAllegationView[];
  votes: VoteView[];
  open: boolean;
}

/** An allegation in the board's record: the board's finding and tally, and each member's vote. */
export interface RecordAllegationView {
  number: number;
  category: string;
  finding: Finding | null;
  votesCast: number;
  votesFor: number;
  byTieRule: boolean;
  votes: Array<{ member: string; finding: Finding; rationale: string | null; recommendation: string | null }>;
}

/** A case in the board's record of a meeting; a member who recused sees only that they did. */
export interface RecordItemView {
  id: string;
  publicReference: string;
  trackingNumber: string | null;
  complaintId: string | null;
  outcome: AgendaOutcome | null;
  recusedByViewer: boolean;
  recusals: Array<{ member: string; at: Date }>;
  allegations: RecordAllegationView[];
  allVotes: VoteView[];
}

/** The board's own minutes of a meeting. */
export interface MeetingRecordView {
  meeting: MeetingView;
  items: RecordItemView[];
}

export function toBallotItemView(row: VoteItemRow): BallotItemView {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    complaintId: row.complaint_id,
    round: row.round,
    outcome: row.outcome,
    publicReference: row.public_reference,
    meetingStatus: row.meeting_status,
    trackingNumber: row.tracking_number,
    state: row.state,
    version: row.version,
  };
}

export function toBallotAllegationView(row: AllegationRow): BallotAllegationView {
  return {
    id: row.id,
    category: row.category,
    draftFinding: row.draft_finding,
    draftRationale: row.draft_rationale,
    officerDescription: row.officer_description,
    officerFirstName: row.first_name,
    officerLastName: row.last_name,
    officerBadgeNumber: row.badge_number,
  };
}

/** A member's ballot: the item, the case's allegations and the member's votes, read as rows. */
export function toBallotView(
  item: VoteItemRow,
  allegations: AllegationRow[],
  mine: VoteRow[],
  open: boolean,
): BallotView {
  return {
    item: toBallotItemView(item),
    allegations: allegations.map(toBallotAllegationView),
    votes: mine.map(toVoteView),
    open,
  };
}

export function toVoteView(row: VoteRow): VoteView {
  return {
    allegationId: row.allegation_id,
    memberId: row.member_id,
    memberName: row.display_name,
    finding: row.finding,
    rationale: row.rationale,
    recommendation: row.discipline_recommendation,
    updatedAt: row.updated_at,
  };
}

/** An item's allegations in the board's record: the findings in order, each with the members' votes. */
export function toRecordAllegations(findings: FindingRow[], votes: VoteView[]): RecordAllegationView[] {
  return findings.map((f, index) => ({
    number: index + 1,
    category: f.category,
    finding: f.finding,
    votesCast: f.votes_cast,
    votesFor: f.votes_for,
    byTieRule: f.by_tie_rule,
    votes: votes
      .filter((v) => v.allegationId === f.allegation_id)
      .map((v) => ({
        member: v.memberName,
        finding: v.finding,
        rationale: v.rationale,
        recommendation: v.recommendation,
      })),
  }));
}
