import type { Db } from '../../platform/db/database.js';
import { BOARD_SEES_IDENTITY, seesIdentity, type Viewer } from '../../platform/db/caseAccess.js';
import {
  activeOfficers,
  allegationsOf,
  assignableInvestigators,
  attachmentsOf,
  auditTrailOf,
  caseHeader,
  complainantsOf,
  deadlinesOf,
  notesOf,
  reportedPeopleOf,
} from './caseFile.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import { getSetting } from '../../platform/db/settings.repository.js';
import { evidenceCopiesFor, evidenceDownloadName } from '../../platform/evidence/evidence.download.js';
import { availableEvents, type Actor, type StaffRole } from '../../../workflows/complaint.permissions.js';
import { restore } from '../../../workflows/complaint.snapshot.js';
import type { ComplaintEventType } from '../../../workflows/complaint.types.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { timelineOf } from './caseTimeline.js';

/** Events a person never sends from the case page: the board's count and the sweeper send them. */
const NOT_FROM_CASE_PAGE = new Set<ComplaintEventType>([
  'BOARD_DECIDED',
  'RECONSIDERATION_WINDOW_CLOSED',
  'UPDATE_CONTACT',
  'DRAFT_FINDINGS',
]);
/** Allegations can change until the case goes to the board. */
const EDITABLE_STAGES = new Set(['intake', 'mediation', 'investigation']);

export type CaseHeader = NonNullable<Awaited<ReturnType<typeof caseHeader>>>;

export function staffActor(viewer: Viewer, assignedToCase: boolean): Actor {
  const roles = viewer.roles.filter((r): r is StaffRole => r !== 'admin');
  return { kind: 'staff', userId: viewer.userId, roles, assignedToCase };
}

/** What this viewer may do on this case, beside the workflow's events. */
/** Whether the viewer works the case: intake, supervisors, or the investigator assigned to it. */
export function worksOn(viewer: Viewer, header: CaseHeader): boolean {
  const roles = new Set(viewer.roles);
  return roles.has('intake') || roles.has('supervisor') || (roles.has('investigator') && header.assigned_to_viewer);
}

export function permissionsOn(viewer: Viewer, header: CaseHeader, boardSeesIdentity: boolean) {
  const works = worksOn(viewer, header);
  return {
    /** Notes, evidence uploads and the allegations list: the people who work the case. */
    works,
    editAllegations: works && EDITABLE_STAGES.has(header.stage),
    identity: seesIdentity(viewer, header.assigned_to_viewer, boardSeesIdentity),
  };
}

export type CaseFileService = ReturnType<typeof caseFileService>;

export function caseFileService(deps: { db: Db; audit: AuditService; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const boardSeesIdentity = async (db: Executor) => (await getSetting<boolean>(db, BOARD_SEES_IDENTITY)) === true;

  return {
    /** The case header if this viewer may see it (R14), else undefined. */
    header(viewer: Viewer, id: string, db: Executor = deps.db) {
      return caseHeader(db, id, viewer);
    },

    /**
     * Everything of the case file this viewer may see, and the read itself in the audit log (R1).
     * Complainant identity only where the role or the board's policy allows (R15).
     */
    async view(viewer: Viewer, id: string, requestId: string | undefined) {
      return deps.db.transaction().execute(async (trx) => {
        const header = await caseHeader(trx, id, viewer);
        if (!header) return undefined;
        const may = permissionsOn(viewer, header, await boardSeesIdentity(trx));
        const snapshot = restore(header.snapshot, header.machine_version);
        const actor = staffActor(viewer, header.assigned_to_viewer);
        const allowed = availableEvents(snapshot, actor, now().toISOString());
        const actions = allowed.filter((e) => !NOT_FROM_CASE_PAGE.has(e));
        const [complainants, reported, allegations, notes, attachments, deadlines, trail] = await Promise.all([
          may.identity ? complainantsOf(trx, id) : Promise.resolve([]),
          reportedPeopleOf(trx, id),
          allegationsOf(trx, id),
          may.works ? notesOf(trx, id) : Promise.resolve([]),
          attachmentsOf(trx, id),
          deadlinesOf(trx, id),
          auditTrailOf(trx, id),
        ]);
        const needsPeople = actions.includes('ASSIGN') || may.editAllegations;
        const [investigators, officers] = needsPeople
          ? await Promise.all([assignableInvestigators(trx), activeOfficers(trx)])
          : [[], []];
        await deps.audit.record(trx, {
          type: 'case.read',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id },
          requestId,
          details: { identity: may.identity && complainants.length > 0 },
        });
        return {
          header,
          context: snapshot.context,
          // Draft findings have their own form (a finding and rationale per allegation).
          may: { ...may, draftFindings: allowed.includes('DRAFT_FINDINGS') && allegations.length > 0 },
          actions,
          complainants,
          // A witness's contact identifies a person as much as the complainant's does.
          reported: may.identity
            ? reported
            : { ...reported, witnesses: reported.witnesses.map((w) => ({ ...w, contact: null })) },
          allegations,
          notes,
          attachments: attachments.map((f) => ({
            ...f,
            download_name: evidenceDownloadName(f.original_name, f.sniffed_type),
            copies: evidenceCopiesFor(may.works, f),
          })),
          deadlines,
          timeline: timelineOf(trail),
          investigators,
          officers,
        };
      });
    },
  };
}

export type CaseFile = NonNullable<Awaited<ReturnType<ReturnType<typeof caseFileService>['view']>>>;
