/**
 * The access policy (issue #16): what each role may do, in one table. Route middleware asks it
 * (`requirePermission`), services ask it again as their own check (`may`), the staff menu is drawn
 * from it, and the database layer takes from it which roles see which cases. Which *objects* a
 * viewer sees (an investigator's assigned cases, a board member's agenda) stays one SQL expression
 * in the database layer (`caseVisibleTo`); this table says who may do what at all.
 *
 * The workflow's own table (`workflows/complaint.permissions.ts`) says who may send each event.
 */
import type { Role, Viewer } from './vocabulary.js';

export const PERMISSIONS = {
  /** Work with cases at all: the queue, the case pages. */
  'cases.read': ['intake', 'investigator', 'supervisor', 'board'],
  /** See every case, and every complainant's identity. */
  'cases.readAll': ['intake', 'supervisor'],
  /** See the cases assigned to oneself, with the complainant's identity. */
  'cases.readAssigned': ['investigator'],
  /** See the cases on the agenda of an open meeting (identity only where the board's policy says so). */
  'cases.readOnAgenda': ['board'],
  /** Be assigned cases to investigate. */
  'cases.investigate': ['investigator'],
  /** Triage new complaints (the workflow's BEGIN_TRIAGE): the queue's list of new cases, with its count. */
  'cases.triage': ['intake', 'supervisor'],
  /** See each investigator's caseload. */
  'cases.caseload': ['supervisor'],
  /** Be told when a deadline is breached. */
  'deadlines.escalations': ['supervisor'],
  'officers.read': ['intake', 'investigator', 'supervisor'],
  'officers.edit': ['intake', 'supervisor'],
  /** An officer's complaint history, and the early-intervention flags. */
  'officers.history': ['supervisor'],
  'earlyIntervention.configure': ['admin'],
  /** The board's meeting pages: members, and those who organise them. */
  'board.takePart': ['board', 'supervisor', 'admin'],
  'board.organise': ['supervisor', 'admin'],
  /** Sit on the board: vote, recuse, be counted for quorum. */
  'board.vote': ['board'],
  'board.settings': ['admin'],
  'surveys.read': ['supervisor'],
  /** Record the department's response to sustained findings, and see which are awaited (#19). */
  'responses.record': ['supervisor', 'admin'],
  /** Read those responses on a case one may see: not intake, whose work ends before any finding. */
  'responses.read': ['investigator', 'supervisor', 'board'],
  /** Draft policy recommendations, link the cases behind them, record the department's response (#19). */
  'recommendations.draft': ['supervisor', 'admin'],
  /** Open and close the community trust survey's waves. */
  'surveys.waves': ['admin'],
  /**
   * Public-records releases: choose decided cases and print them redacted. Admins as well as
   * supervisors: the agency's records custodian is often its administrator, and a release carries
   * no complainant or witness identity, so it opens no more to an admin than the audit log does.
   */
  'releases.make': ['supervisor', 'admin'],
  /** The administration area: users, deadlines, holidays, mail, audit log, retention, API tokens. */
  'admin.use': ['admin'],
  /** Be told of an operational alert (a dead letter, an audit gap). */
  'alerts.receive': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Roles usable only after a second factor in this session (R9), and never through an API token. */
const SECOND_FACTOR_ROLES: readonly Role[] = ['admin'];

export function needsSecondFactor(role: Role): boolean {
  return SECOND_FACTOR_ROLES.includes(role);
}

/** Whether someone holding these roles may do this. */
export function may(who: Viewer | readonly Role[], permission: Permission): boolean {
  const roles = 'roles' in who ? who.roles : who;
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((role) => allowed.includes(role));
}

/** The roles that hold a permission, for the database layer's lists (who can be assigned, who is told). */
export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

/** The staff menu: each area for those allowed in it (the routes check again); no permission: everyone signed in. */
export const NAVIGATION: ReadonlyArray<{ key: string; href: string; permission?: Permission }> = [
  { key: 'cases', href: '/staff/cases', permission: 'cases.read' },
  { key: 'officers', href: '/staff/officers', permission: 'officers.read' },
  { key: 'earlyIntervention', href: '/staff/early-intervention', permission: 'officers.history' },
  { key: 'board', href: '/staff/board', permission: 'board.takePart' },
  { key: 'responses', href: '/staff/responses', permission: 'responses.record' },
  { key: 'recommendations', href: '/staff/recommendations', permission: 'recommendations.draft' },
  { key: 'releases', href: '/staff/releases', permission: 'releases.make' },
  { key: 'admin', href: '/staff/admin', permission: 'admin.use' },
  // Everyone signed in, with or without a usable role: it is where an admin sets up two-step sign-in.
  { key: 'account', href: '/staff/account' },
];
