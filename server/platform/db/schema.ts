import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Stage } from '../../domain/vocabulary.js';
import type { AgendaOutcome, Finding, Language, PublicHistoryEntry, Role } from '../../domain/vocabulary.js';

/** Table shapes, as the migrations in migrations/ create them. Only server/db/ imports this. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** `date` columns are read as 'YYYY-MM-DD' strings on both drivers (see database.ts). */
type DateOnly = string;
type Json<T = unknown> = ColumnType<T, string, string>;

export type { AgendaOutcome, Finding, Language, PublicHistoryEntry, Role, Stage } from '../../domain/vocabulary.js';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  language: Generated<Language>;
  totp_secret: string | null;
  totp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  password_changed_at: Timestamp;
  created_at: CreatedAt;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
  granted_at: CreatedAt;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface DistrictsTable {
  code: string;
  name_en: string;
  name_es: string;
  active: Generated<boolean>;
}

export interface AllegationCategoriesTable {
  code: string;
  name_en: string;
  name_es: string;
  position: Generated<number>;
  active: Generated<boolean>;
}

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

export interface OfficersTable {
  id: Generated<string>;
  badge_number: string | null;
  first_name: string;
  last_name: string;
  rank: string | null;
  unit: string | null;
  district: string | null;
  active: Generated<boolean>;
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

export interface DeadlinePoliciesTable {
  kind: string;
  amount: number;
  unit: 'business_days' | 'calendar_days' | 'months';
  warn_before_days: Generated<number>;
  statutory: Generated<boolean>;
  updated_at: Timestamp;
}

export interface HolidaysTable {
  day: DateOnly;
  name: string;
  source: Generated<'admin' | 'calendar'>;
}

export interface DeadlinesTable {
  id: Generated<string>;
  complaint_id: string;
  kind: string;
  starts_at: Timestamp;
  due_at: Timestamp;
  warn_at: Timestamp | null;
  status: Generated<'open' | 'warned' | 'breached' | 'met' | 'cancelled'>;
  tolled_at: Timestamp | null;
  tolled_reason: string | null;
  next_check_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
}

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

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: Date;
  event_type: string;
  actor_type: 'user' | 'public' | 'system' | 'token';
  actor_id: string | null;
  outcome: 'success' | 'failure';
  object_type: string | null;
  object_id: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  recipient: string;
  template: string;
  language: Language;
  data: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface SurveysTable {
  id: Generated<string>;
  complaint_id: string;
  token_hash: string;
  language: Language;
  sent_at: Timestamp;
  answered_at: Timestamp | null;
  respect: number | null;
  understood: number | null;
  informed: number | null;
  explained: number | null;
  trust: number | null;
  comment: string | null;
}

/** A monthly count of one measure, by one key (a category, a district, a finding, a score…). */
export interface StatsRollupTable {
  month: DateOnly;
  measure: string;
  key: string;
  count: number;
}

/** One allegation as published in the open data: de-identified and generalised. */
export interface OpenDataRowsTable {
  row_no: ColumnType<string, string | number, never>;
  month: string;
  category: string;
  district: string;
  finding: string;
  days_to_close: string;
  stage: string;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
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

export interface RateLimitsTable {
  bucket: string;
  failures: number;
  window_ends_at: Timestamp;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  issued_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  /** Null until the holder collects the token: only then is a secret made. */
  token_hash: string | null;
  issued_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  collected_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  districts: DistrictsTable;
  allegation_categories: AllegationCategoriesTable;
  complaints: ComplaintsTable;
  complainants: ComplainantsTable;
  officers: OfficersTable;
  allegations: AllegationsTable;
  assignments: AssignmentsTable;
  notes: NotesTable;
  attachments: AttachmentsTable;
  deadline_policies: DeadlinePoliciesTable;
  holidays: HolidaysTable;
  deadlines: DeadlinesTable;
  board_meetings: BoardMeetingsTable;
  agenda_items: AgendaItemsTable;
  votes: VotesTable;
  recusals: RecusalsTable;
  board_findings: BoardFindingsTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
  surveys: SurveysTable;
  stats_rollup: StatsRollupTable;
  open_data_rows: OpenDataRowsTable;
  settings: SettingsTable;
  complaint_drafts: ComplaintDraftsTable;
  reported_officers: ReportedOfficersTable;
  witnesses: WitnessesTable;
  rate_limits: RateLimitsTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Officer = Selectable<OfficersTable>;
export type NewOfficer = Insertable<OfficersTable>;
