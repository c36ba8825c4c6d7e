import type { ComplaintSnapshot } from './complaint.snapshot.js';
import type { ComplaintEvent, ComplaintEventType } from './complaint.types.js';

/**
 * Who may send each event. `assignedInvestigator` is an investigator assigned to this case;
 * `complainant` is the resident holding the case's access code; `system` is the app itself
 * (the deadline sweeper, the board's vote count).
 */
export type Party = 'intake' | 'assignedInvestigator' | 'supervisor' | 'board' | 'admin' | 'complainant' | 'system';

export const EVENT_PARTIES: Readonly<Record<ComplaintEventType, readonly Party[]>> = {
  BEGIN_TRIAGE: ['intake', 'supervisor'],
  ACCEPT: ['intake', 'supervisor'],
  OFFER_MEDIATION: ['intake', 'supervisor'],
  REFER: ['intake', 'supervisor'],
  DISMISS: ['intake', 'supervisor'],
  MEDIATION_SUCCEEDED: ['intake', 'supervisor'],
  MEDIATION_FAILED: ['intake', 'supervisor'],
  ASSIGN: ['supervisor'],
  BEGIN_INVESTIGATION: ['assignedInvestigator', 'supervisor'],
  DRAFT_FINDINGS: ['assignedInvestigator', 'supervisor'],
  REVISE_FINDINGS: ['assignedInvestigator', 'supervisor'],
  TOLL: ['assignedInvestigator', 'supervisor'],
  RESUME: ['assignedInvestigator', 'supervisor'],
  WITHDRAW: ['complainant', 'intake'],
  CLOSE_WITHDRAWN: ['supervisor'],
  CONTINUE_AFTER_WITHDRAWAL: ['supervisor'],
  SUBMIT_FINDINGS: ['supervisor'],
  OPEN_VOTING: ['supervisor', 'admin'],
  NO_QUORUM: ['supervisor', 'admin', 'system'],
  BOARD_DECIDED: ['system'],
  RETURN_TO_INVESTIGATION: ['supervisor', 'system'],
  REQUEST_RECONSIDERATION: ['complainant', 'supervisor'],
  RECONSIDERATION_WINDOW_CLOSED: ['system'],
  ADD_INFORMATION: ['complainant', 'intake'],
  UPDATE_CONTACT: ['complainant', 'intake'],
  REOPEN: ['supervisor'],
};

/** The parties who work a case from its page (an admin administers; the complainant and the system are not staff). */
export const CASE_WORKERS: readonly Party[] = ['intake', 'assignedInvestigator', 'supervisor', 'board'];

export const EVENT_TYPES = Object.keys(EVENT_PARTIES) as ComplaintEventType[];

export type StaffRole = 'intake' | 'investigator' | 'supervisor' | 'board' | 'admin';

export type Actor =
  | { kind: 'staff'; userId: string; roles: readonly StaffRole[]; assignedToCase: boolean }
  | { kind: 'complainant' }
  | { kind: 'system' };

export function partiesOf(actor: Actor): Party[] {
  if (actor.kind !== 'staff') return [actor.kind];
  return actor.roles.flatMap((role): Party[] => {
    if (role === 'investigator') return actor.assignedToCase ? ['assignedInvestigator'] : [];
    return [role];
  });
}

export function mayActorSend(actor: Actor, type: ComplaintEventType): boolean {
  const allowed = EVENT_PARTIES[type];
  return partiesOf(actor).some((party) => allowed.includes(party));
}

/**
 * An event of this type with placeholder details, for asking the machine whether it would be
 * accepted now. Guards read only the state, the context and `at`; details are checked at the edge.
 */
export function probeEvent(type: ComplaintEventType, at: string): ComplaintEvent {
  switch (type) {
    case 'REFER':
      return { type, at, agency: '-' };
    case 'DISMISS':
      return { type, at, reason: 'duplicate' };
    case 'ASSIGN':
      return { type, at, investigatorId: '-' };
    case 'TOLL':
      return { type, at, reason: 'written_waiver' };
    case 'BOARD_DECIDED':
      return { type, at, reconsiderationUntil: at };
    case 'REOPEN':
      return { type, at, reason: '-' };
    default:
      return { type, at } as ComplaintEvent;
  }
}

/** The events this actor may send now: the role table and the machine, never a list by hand. */
export function availableEvents(snapshot: ComplaintSnapshot, actor: Actor, at: string): ComplaintEventType[] {
  return EVENT_TYPES.filter((type) => mayActorSend(actor, type) && snapshot.can(probeEvent(type, at)));
}
