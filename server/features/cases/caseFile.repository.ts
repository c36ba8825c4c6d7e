import { rolesWith } from '../../domain/policy.js';
import { caseVisibleTo, type Viewer } from '../../platform/db/caseAccess.js';
import type { Executor } from '../../platform/db/executor.js';

/** The case as the viewer may see it, or undefined: another person's case reads exactly like a missing one (R14). */
export async function caseHeader(db: Executor, id: string, viewer: Viewer) {
  return db
    .selectFrom('complaints as c')
    .select([
      'c.id',
      'c.tracking_number',
      'c.snapshot',
      'c.machine_version',
      'c.version',
      'c.stage',
      'c.state',
      'c.language',
      'c.channel',
      'c.anonymous',
      'c.on_behalf',
      'c.narrative',
      'c.incident_date',
      'c.incident_time',
      'c.incident_location',
      'c.district',
      'c.received_at',
      'c.closed_at',
      'c.outcome',
      'c.legal_hold',
    ])
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('assignments as a')
            .select('a.id')
            .whereRef('a.complaint_id', '=', 'c.id')
            .where('a.ended_at', 'is', null)
            .where('a.user_id', '=', viewer.userId),
        )
        .$castTo<boolean>()
        .as('assigned_to_viewer'),
      eb
        .selectFrom('assignments as a')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .select('u.display_name')
        .whereRef('a.complaint_id', '=', 'c.id')
        .where('a.ended_at', 'is', null)
        .limit(1)
        .as('assignee_name'),
      eb
        .selectFrom('assignments as a')
        .select('a.user_id')
        .whereRef('a.complaint_id', '=', 'c.id')
        .where('a.ended_at', 'is', null)
        .limit(1)
        .as('assignee_id'),
    ])
    .where('c.id', '=', id)
    .where(caseVisibleTo(viewer))
    .executeTakeFirst();
}

export async function complainantsOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('complainants')
    .select(['role', 'name', 'email', 'phone', 'address', 'preferred_language', 'preferred_contact', 'relationship'])
    .where('complaint_id', '=', complaintId)
    .orderBy('role')
    .execute();
}

export async function reportedPeopleOf(db: Executor, complaintId: string) {
  const [officers, witnesses] = await Promise.all([
    db
      .selectFrom('reported_officers')
      .select(['name', 'badge_number', 'description'])
      .where('complaint_id', '=', complaintId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('witnesses')
      .select(['name', 'contact', 'description'])
      .where('complaint_id', '=', complaintId)
      .orderBy('position')
      .execute(),
  ]);
  return { officers, witnesses };
}

export async function allegationsOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('allegations as a')
    .innerJoin('allegation_categories as k', 'k.code', 'a.category')
    .leftJoin('officers as o', 'o.id', 'a.officer_id')
    .select([
      'a.id',
      'a.category',
      'k.name_en',
      'k.name_es',
      'a.officer_id',
      'o.first_name',
      'o.last_name',
      'o.badge_number',
      'o.rank',
      'a.officer_description',
      'a.summary',
      'a.finding',
      'a.finding_rationale',
      'a.draft_finding',
      'a.draft_rationale',
      'a.discipline_recommendation',
    ])
    .where('a.complaint_id', '=', complaintId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

export async function notesOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.kind', 'n.body', 'n.created_at', 'u.display_name as author'])
    .where('n.complaint_id', '=', complaintId)
    .orderBy('n.created_at', 'desc')
    .execute();
}

export async function attachmentsOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('attachments as f')
    .leftJoin('users as u', 'u.id', 'f.uploaded_by')
    .select([
      'f.id',
      'f.source',
      'f.original_name',
      'f.sniffed_type',
      'f.size_bytes',
      'f.sha256',
      'f.viewing_name',
      'f.created_at',
      'u.display_name as uploader',
    ])
    .where('f.complaint_id', '=', complaintId)
    .orderBy('f.created_at')
    .execute();
}

export async function attachmentOf(db: Executor, complaintId: string, attachmentId: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'stored_name', 'viewing_name', 'original_name', 'sniffed_type', 'size_bytes', 'sha256'])
    .where('complaint_id', '=', complaintId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

export async function deadlinesOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('deadlines')
    .select(['kind', 'due_at', 'status', 'tolled_at', 'completed_at'])
    .where('complaint_id', '=', complaintId)
    .orderBy('due_at')
    .execute();
}

/** The case's audit trail, oldest first, with the names of the staff who acted. */
export async function auditTrailOf(db: Executor, complaintId: string, limit = 500) {
  return db
    .selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.occurred_at', 'e.event_type', 'e.actor_type', 'e.outcome', 'e.details', 'u.display_name'])
    .where('e.object_type', '=', 'complaint')
    .where('e.object_id', '=', complaintId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Investigators who can be given a case: active users with the role, with their open caseload. */
/** The open board meeting whose agenda holds this case (the latest, if more than one), if any. */
export async function boardMeetingOfCase(db: Executor, complaintId: string) {
  return db
    .selectFrom('agenda_items as i')
    .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
    .select(['m.id', 'm.scheduled_for', 'm.status'])
    .where('i.complaint_id', '=', complaintId)
    .where('m.status', '<>', 'closed')
    .orderBy('m.scheduled_for', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function assignableInvestigators(db: Executor) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name'])
    .select((eb) =>
      eb
        .selectFrom('assignments as a')
        .innerJoin('complaints as c', 'c.id', 'a.complaint_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.user_id', '=', 'u.id')
        .where('a.ended_at', 'is', null)
        .where('c.stage', '<>', 'closed')
        .as('open_cases'),
    )
    .where('r.role', 'in', rolesWith('cases.investigate'))
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name')
    .execute();
}

export async function activeOfficers(db: Executor) {
  return db
    .selectFrom('officers')
    .select(['id', 'first_name', 'last_name', 'badge_number', 'rank'])
    .where('active', '=', true)
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}
