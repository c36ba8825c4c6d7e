/**
 * A complaint and what hangs off it: complainants, allegations, assignments, notes, evidence, the
 * resident's form draft, and the officers and witnesses the resident named.
 */

import type { ColumnType, Generated } from 'kysely';
import type { Finding, Language, PublicHistoryEntry, Stage } from '../../domain/vocabulary.js';
import type { CreatedAt, DateOnly, Json, Timestamp } from './schema.columns.js';

export interface ComplaintsTable {
  id: Generated<string>;
  tracking_number: string;
  access_code_hash: string;
  submission_token: string | null;
  /** Keyed hash of the submitted body, so a key replayed with another body is refused. */
  submission_hash: string | null;
  receipt_shown_at: Timestamp | null;
  snapshot: Json;
  machine_version: number;
  version: Generated<number>;
  stage: Stage;
  state: string;
  language: Language;
  channel: 'web' | 'api' | 'phone' | 'email' | 'mail' | 'walk_in';
  anonymous: Generated<boolean>;
  on_behalf: Generated<boolean>;
  narrative: string;
  incident_date: DateOnly | null;
  incident_time: string | null;
  incident_location: string | null;
  district: string | null;
  discovered_on: DateOnly | null;
  received_at: Timestamp;
  stage_changed_at: Timestamp;
  closed_at: Timestamp | null;
  outcome: 'referred' | 'dismissed' | 'mediated' | 'withdrawn' | 'decided' | null;
  legal_hold: Generated<boolean>;
  updated_at: Timestamp;
  /** The public stages reached, oldest first, for the status lookup. */
  public_history: ColumnType<PublicHistoryEntry[], string | undefined, string>;
  /** The facts of the running clocks (#18), kept with them by the deadline service. */
  next_due_at: Timestamp | null;
  clock_breached: Generated<boolean>;
  clock_warned: Generated<boolean>;
  clock_tolled: Generated<boolean>;
}

export interface ComplainantsTable {
  id: Generated<string>;
  complaint_id: string;
  role: 'complainant' | 'filer';
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  preferred_language: Generated<Language>;
  preferred_contact: 'email' | 'phone' | 'mail' | 'none' | null;
  relationship: string | null;
  demographics: Json<Record<string, string>> | null;
  created_at: CreatedAt;
}

export interface AllegationsTable {
  id: Generated<string>;
  complaint_id: string;
  officer_id: string | null;
  officer_description: string | null;
  category: string;
  summary: string | null;
  finding: Finding | null;
  finding_rationale: string | null;
  draft_finding: Finding | null;
  draft_rationale: string | null;
  discipline_recommendation: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
  /** The complaint's received day (UTC), set by a trigger: the officer counts below need it (#18). */
  received_on: Generated<DateOnly>;
}

/** Per officer and UTC day, kept by statement triggers on allegations (#18 item 1): early intervention. */
export interface OfficerDayCategoriesTable {
  officer_id: string;
  day: DateOnly;
  category: string;
  allegations: number;
}
export interface OfficerDayComplaintsTable {
  officer_id: string;
  day: DateOnly;
  complaints: number;
}
/** The disparity view's complaints by day received, answer, decided and sustained (#18): the statistics refresh writes it. */
export interface DisparityDaysTable {
  day: DateOnly;
  dimension: string;
  value: string;
  complaints: number;
  decided: number;
  sustained: number;
}
export interface OfficerDaySustainedTable {
  officer_id: string;
  day: DateOnly;
  sustained: number;
}

export interface AssignmentsTable {
  id: Generated<string>;
  complaint_id: string;
  user_id: string;
  assigned_by: string | null;
  assigned_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface NotesTable {
  id: Generated<string>;
  complaint_id: string;
  author_id: string | null;
  kind: Generated<'note' | 'interview' | 'complainant_update'>;
  body: string;
  created_at: CreatedAt;
}

export interface AttachmentsTable {
  id: Generated<string>;
  complaint_id: string;
  uploaded_by: string | null;
  source: 'complainant' | 'staff';
  stored_name: string;
  viewing_name: string | null;
  original_name: string;
  sniffed_type: string;
  size_bytes: number;
  sha256: string;
  created_at: CreatedAt;
}

export interface ComplaintDraftsTable {
  id_hash: string;
  data: Json;
  created_at: CreatedAt;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

export interface ReportedOfficersTable {
  id: Generated<string>;
  complaint_id: string;
  position: number;
  name: string | null;
  badge_number: string | null;
  description: string | null;
}

export interface WitnessesTable {
  id: Generated<string>;
  complaint_id: string;
  position: number;
  name: string | null;
  contact: string | null;
  description: string | null;
}
