/** Closing the accountability loop (#19): what the department did with the board's findings. */

import type { Generated } from 'kysely';
import type { CreatedAt, DateOnly, Timestamp } from './schema.columns.js';
import type { Discipline } from '../../domain/vocabulary.js';

/** One dated entry of the department's response to a sustained allegation; never edited (migration 0025). */
export interface DepartmentResponsesTable {
  id: Generated<string>;
  complaint_id: string;
  allegation_id: string;
  concurred: boolean;
  discipline: Discipline;
  suspension_days: number | null;
  responded_on: DateOnly;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

/** A policy recommendation of the board (#19 part 3, migration 0028). */
export interface RecommendationsTable {
  id: Generated<string>;
  reference: string;
  title_en: string;
  title_es: string;
  body_en: string;
  body_es: string;
  basis_en: string;
  basis_es: string;
  status: Generated<'draft' | 'adopted' | 'not_adopted'>;
  adopted_at: Timestamp | null;
  response_due_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RecommendationCasesTable {
  recommendation_id: string;
  complaint_id: string;
}

/** A recommendation on a meeting's agenda: an item of its own kind, voted with quorum. */
export interface RecommendationItemsTable {
  id: Generated<string>;
  recommendation_id: string;
  meeting_id: string;
  outcome: 'adopted' | 'not_adopted' | 'no_quorum' | null;
  votes_for: number | null;
  votes_against: number | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface RecommendationVotesTable {
  id: Generated<string>;
  item_id: string;
  member_id: string;
  choice: 'adopt' | 'reject' | 'recused';
  reason: string | null;
  cast_at: Timestamp;
}

/** The department's response and the implementation updates: dated entries, never edited. */
export interface RecommendationUpdatesTable {
  id: Generated<string>;
  recommendation_id: string;
  kind: 'response' | 'implementation';
  status: string;
  body: string;
  occurred_on: DateOnly;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}
