/**
 * The words of the domain, in one place (issue #16): who works here, in which languages, and what a
 * finding can be. Everything else (the database's table types, the forms, the workflow's
 * permission table, the navigation) takes these from here.
 */
import type { PublicStage } from '../../workflows/complaint.types.js';

export type { PublicStage, Stage } from '../../workflows/complaint.types.js';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const ROLES = ['intake', 'investigator', 'supervisor', 'board', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The findings an allegation can end with: the board's, and the outcomes that close it otherwise. */
export const FINDINGS = [
  'sustained',
  'not_sustained',
  'exonerated',
  'unfounded',
  'policy_failure',
  'officer_unidentified',
  'mediated',
  'withdrawn',
] as const;
export type Finding = (typeof FINDINGS)[number];

/**
 * What the department did after a sustained finding (#19): the discipline imposed, from the
 * standard vocabulary oversight agencies publish, or why there was none.
 */
export const DISCIPLINES = [
  'none',
  'counselling_training',
  'written_reprimand',
  'suspension',
  'demotion',
  'termination',
  'resigned_retired',
  'pending_appeal',
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

/** How an agenda item left the board's agenda. */
export type AgendaOutcome = 'decided' | 'no_quorum' | 'undecided' | 'returned' | 'withdrawn';

/** A step of a complaint's public history: the stage a resident sees, and when it began (ISO 8601). */
export interface PublicHistoryEntry {
  stage: PublicStage;
  at: string;
}

/** What the closing survey asks residents to score, 1 to 5. */
export const SURVEY_SCORES = ['respect', 'understood', 'informed', 'explained', 'trust'] as const;
export type SurveyScore = (typeof SURVEY_SCORES)[number];

/** A signed-in member of staff, as every request sees them: read fresh, so changes apply at once (R12). */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  language: Language;
  roles: Role[];
  totpEnrolled: boolean;
}

/** Who is asking, for the access rules: the user and the roles usable in this session (admin only after a second factor). */
export interface Viewer {
  userId: string;
  roles: readonly Role[];
}
