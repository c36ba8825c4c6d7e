import { sql, type RawBuilder } from 'kysely';
import { may } from '../../domain/policy.js';
import type { Viewer } from '../../domain/vocabulary.js';

export type { Viewer };

/**
 * The cases a viewer may see, as a condition on `complaints as c` (R14). Intake and supervisors
 * see every case; an investigator sees the cases currently assigned to them; a board member sees
 * cases on the agenda of a meeting that is not closed, unless they have recused from the case.
 * Every query that takes a case id from a request goes through this, so another person's case
 * answers exactly like a missing one.
 */
export function caseVisibleTo(viewer: Viewer): RawBuilder<boolean> {
  if (may(viewer, 'cases.readAll')) return sql<boolean>`true`;
  const parts: RawBuilder<unknown>[] = [];
  if (may(viewer, 'cases.readAssigned')) {
    parts.push(sql`exists (select 1 from assignments va
      where va.complaint_id = c.id and va.ended_at is null and va.user_id = ${viewer.userId})`);
  }
  if (may(viewer, 'cases.readOnAgenda')) {
    parts.push(sql`(exists (select 1 from agenda_items vi join board_meetings vm on vm.id = vi.meeting_id
        where vi.complaint_id = c.id and vm.status <> 'closed')
      and not exists (select 1 from recusals vr where vr.complaint_id = c.id and vr.member_id = ${viewer.userId}))`);
  }
  if (parts.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

/**
 * Whether this viewer may see the complainant's identity on a case they can see (R15): intake,
 * supervisors and the assigned investigator do; board members only where the board's policy says so.
 */
export function seesIdentity(viewer: Viewer, assignedToCase: boolean, boardSeesIdentity: boolean): boolean {
  if (may(viewer, 'cases.readAll')) return true;
  if (may(viewer, 'cases.readAssigned') && assignedToCase) return true;
  return may(viewer, 'cases.readOnAgenda') && boardSeesIdentity;
}

/** The setting (settings table) by which the board's policy lets members see complainant identity. */
export const BOARD_SEES_IDENTITY = 'board.sees_identity';
