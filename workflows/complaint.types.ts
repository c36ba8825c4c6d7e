/** The vocabulary of the complaint workflow, shared by the machine, the server and the views. */

export const STAGES = ['intake', 'mediation', 'investigation', 'boardReview', 'disposition', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const DISMISSAL_REASONS = [
  'duplicate',
  'no_jurisdiction',
  'insufficient_information',
  'untimely',
  'complainant_unavailable',
  'no_misconduct_alleged',
] as const;
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];

export const TOLLING_REASONS = ['criminal_proceedings', 'officer_unavailable', 'written_waiver'] as const;
export type TollingReason = (typeof TOLLING_REASONS)[number];

export const OUTCOMES = ['referred', 'dismissed', 'mediated', 'withdrawn', 'decided'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The public stage names residents see (DESIGN.md), keyed for the translation catalogue. */
export const PUBLIC_STAGES = [
  'received',
  'underReview',
  'underInvestigation',
  'boardReview',
  'decided',
  'closed',
] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

export interface ComplaintContext {
  outcome: Outcome | null;
  dismissalReason: DismissalReason | null;
  referredTo: string | null;
  tolled: boolean;
  tollingReason: TollingReason | null;
  /** The complainant asked to withdraw; the agency decides whether to continue. */
  withdrawalRequested: boolean;
  /** ISO time until which reconsideration may be requested, set when the board decides. */
  reconsiderationUntil: string | null;
  boardRound: number;
  reopenCount: number;
}

/** Every event carries the time it happened (`at`, ISO 8601), so the machine never reads a clock. */
interface At {
  at: string;
}

export type ComplaintEvent =
  | ({ type: 'BEGIN_TRIAGE' } & At)
  | ({ type: 'ACCEPT' } & At)
  | ({ type: 'OFFER_MEDIATION' } & At)
  | ({ type: 'REFER'; agency: string } & At)
  | ({ type: 'DISMISS'; reason: DismissalReason } & At)
  | ({ type: 'MEDIATION_SUCCEEDED' } & At)
  | ({ type: 'MEDIATION_FAILED' } & At)
  | ({ type: 'ASSIGN'; investigatorId: string } & At)
  | ({ type: 'BEGIN_INVESTIGATION' } & At)
  | ({ type: 'DRAFT_FINDINGS' } & At)
  | ({ type: 'REVISE_FINDINGS' } & At)
  | ({ type: 'TOLL'; reason: TollingReason } & At)
  | ({ type: 'RESUME' } & At)
  | ({ type: 'WITHDRAW' } & At)
  | ({ type: 'CLOSE_WITHDRAWN' } & At)
  | ({ type: 'CONTINUE_AFTER_WITHDRAWAL' } & At)
  | ({ type: 'SUBMIT_FINDINGS' } & At)
  | ({ type: 'OPEN_VOTING' } & At)
  | ({ type: 'NO_QUORUM' } & At)
  | ({
      type: 'BOARD_DECIDED';
      reconsiderationUntil: string;
      /** Any allegation sustained: the department's response falls due. */ sustained?: boolean;
    } & At)
  | ({ type: 'RETURN_TO_INVESTIGATION' } & At)
  | ({ type: 'REQUEST_RECONSIDERATION' } & At)
  | ({ type: 'RECONSIDERATION_WINDOW_CLOSED' } & At)
  | ({ type: 'ADD_INFORMATION' } & At)
  | ({ type: 'UPDATE_CONTACT' } & At)
  | ({ type: 'REOPEN'; reason: string } & At);

export type ComplaintEventType = ComplaintEvent['type'];

/** The clocks a case can have running (DESIGN.md "Deadlines"); the machine starts and stops them. */
export const DEADLINE_KINDS = [
  'acknowledge',
  'triage',
  'mediation',
  'investigation',
  'board_decision',
  'reconsideration',
  'statutory',
  // After a decision with a sustained finding, the department's response to it (#19). Not a stage:
  // it runs on after the case closes, until the response is recorded.
  'department_response',
  // Not a case's clock: the department's response to a policy recommendation the board adopted
  // (#19), dated on the recommendation. Here so that the admin's policy sets it like the others.
  'recommendation_response',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
