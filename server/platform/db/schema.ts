import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  BoardMeetingsTable,
  AgendaItemsTable,
  BoardFindingsTable,
  VotesTable,
  RecusalsTable,
} from './schema.board.js';
import type {
  ComplaintsTable,
  ComplainantsTable,
  AllegationsTable,
  AssignmentsTable,
  NotesTable,
  AttachmentsTable,
  ComplaintDraftsTable,
  ReportedOfficersTable,
  WitnessesTable,
  OfficerDayCategoriesTable,
  OfficerDayComplaintsTable,
  OfficerDaySustainedTable,
  DisparityDaysTable,
} from './schema.cases.js';
import type {
  DepartmentResponsesTable,
  RecommendationCasesTable,
  RecommendationItemsTable,
  RecommendationUpdatesTable,
  RecommendationVotesTable,
  RecommendationsTable,
} from './schema.accountability.js';
import type { DeadlinePoliciesTable, HolidaysTable, DeadlinesTable } from './schema.deadlines.js';
import type { AuditEventsTable, OutboxTable, SettingsTable } from './schema.operations.js';
import type { DistrictsTable, AllegationCategoriesTable, OfficersTable } from './schema.reference.js';
import type { RecordsReleasesTable } from './schema.releases.js';
import type {
  SurveysTable,
  StatsRollupTable,
  OpenDataRowsTable,
  OpenDataCellsTable,
  StatsChangesTable,
  StatsSnapshotsTable,
  TrustAnswersTable,
  TrustBallotsTable,
  TrustResultsTable,
  TrustWavesTable,
} from './schema.reporting.js';
import type {
  UsersTable,
  UserRolesTable,
  SessionsTable,
  RateLimitsTable,
  PasswordResetsTable,
  ApiTokensTable,
} from './schema.staff.js';

/**
 * Table shapes, as the migrations in migrations/ create them. Only server/db/ imports this.
 *
 * The tables are grouped by area in schema.<area>.ts; this module puts them together as the
 * Database and re-exports them, so callers import every table shape from here.
 */

export type { AgendaOutcome, Finding, Language, PublicHistoryEntry, Role, Stage } from '../../domain/vocabulary.js';
export type * from './schema.accountability.js';
export type * from './schema.board.js';
export type * from './schema.cases.js';
export type * from './schema.deadlines.js';
export type * from './schema.operations.js';
export type * from './schema.reference.js';
export type * from './schema.releases.js';
export type * from './schema.reporting.js';
export type * from './schema.staff.js';

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
  open_data_cells: OpenDataCellsTable;
  stats_changes: StatsChangesTable;
  stats_snapshots: StatsSnapshotsTable;
  settings: SettingsTable;
  complaint_drafts: ComplaintDraftsTable;
  reported_officers: ReportedOfficersTable;
  witnesses: WitnessesTable;
  rate_limits: RateLimitsTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
  officer_day_categories: OfficerDayCategoriesTable;
  officer_day_complaints: OfficerDayComplaintsTable;
  officer_day_sustained: OfficerDaySustainedTable;
  disparity_days: DisparityDaysTable;
  department_responses: DepartmentResponsesTable;
  recommendations: RecommendationsTable;
  recommendation_cases: RecommendationCasesTable;
  recommendation_items: RecommendationItemsTable;
  recommendation_votes: RecommendationVotesTable;
  recommendation_updates: RecommendationUpdatesTable;
  trust_waves: TrustWavesTable;
  trust_ballots: TrustBallotsTable;
  trust_answers: TrustAnswersTable;
  trust_results: TrustResultsTable;
  records_releases: RecordsReleasesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Officer = Selectable<OfficersTable>;
export type NewOfficer = Insertable<OfficersTable>;
