/** The review board: meetings, agenda items, votes, recusals and the findings the board decided. */

import type { Generated } from 'kysely';
import type { AgendaOutcome, Finding } from '../../domain/vocabulary.js';
import type { CreatedAt, Timestamp } from './schema.columns.js';

export interface BoardMeetingsTable {
  id: Generated<string>;
  scheduled_for: Timestamp;
  location: string | null;
  status: Generated<'scheduled' | 'voting' | 'closed'>;
  created_by: string | null;
  opened_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AgendaItemsTable {
  id: Generated<string>;
  meeting_id: string;
  complaint_id: string;
  round: Generated<number>;
  position: Generated<number>;
  public_reference: string;
  outcome: AgendaOutcome | null;
  decided_at: Timestamp | null;
}

/** The board's decision on one allegation of an agenda item, with its tally, kept as decided. */
export interface BoardFindingsTable {
  agenda_item_id: string;
  allegation_id: string;
  /** Null when a tie under the "carry over" rule left it undecided. */
  finding: Finding | null;
  votes_cast: number;
  votes_for: number;
  by_tie_rule: Generated<boolean>;
}

export interface VotesTable {
  id: Generated<string>;
  agenda_item_id: string;
  allegation_id: string;
  member_id: string;
  round: number;
  finding: Finding;
  rationale: string | null;
  discipline_recommendation: string | null;
  cast_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RecusalsTable {
  id: Generated<string>;
  complaint_id: string;
  member_id: string;
  reason: string;
  created_at: CreatedAt;
}
