import type { Clock } from '../../platform/clock.js';
import { may as allows, rolesWith } from '../../domain/policy.js';
import type { Db } from '../../platform/db/database.js';
import { BOARD_SEES_IDENTITY, seesIdentity, type Viewer } from '../../platform/db/caseAccess.js';
import {
  activeOfficers,
  allegationsOf,
  assignableInvestigators,
  attachmentsOf,
  auditTrailOf,
  boardMeetingOfCase,
  caseHeader,
  complainantsOf,
  deadlinesOf,
  notesOf,
  reportedPeopleOf,
} from './caseFile.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import { getSetting } from '../../platform/db/settings.repository.js';
import { availableEvents, type Actor, type StaffRole } from '../../../workflows/complaint.permissions.js';
import { restore } from '../../../workflows/complaint.snapshot.js';
import type { ComplaintContext, ComplaintEventType } from '../../../workflows/complaint.types.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { timelineOf, type TimelineEntry } from './caseTimeline.js';
import { boardStepView, type BoardStepView } from './caseBoardStep.js';
import {
  allegationView,
  deadlineView,
  evidenceView,
  headerView,
  investigatorView,
  noteView,
  officerView,
  personView,
  reportedView,
  type AllegationView,
  type CaseHeaderView,
  type DeadlineView,
  type EvidenceView,
  type InvestigatorView,
  type NoteView,
  type OfficerView,
  type PersonView,
  type ReportedPeopleView,
} from './caseFile.view.js';

/**
 * Events a person never sends from the case page: the board's count and the sweeper send them,
 * findings and contact details have forms of their own, and opening the vote or recording no
 * quorum happen on the meeting's page, for every case on its agenda at once (#17 item 1).
 */
const NOT_FROM_CASE_PAGE = new Set<ComplaintEventType>([
  'BOARD_DECIDED',
  'RECONSIDERATION_WINDOW_CLOSED',
  'UPDATE_CONTACT',
  'DRAFT_FINDINGS',
  'OPEN_VOTING',
  'NO_QUORUM',
]);
/** Allegations can change until the case goes to the board. */
const EDITABLE_STAGES = new Set(['intake', 'mediation', 'investigation']);

/** What the permissions depend on: the case's stage and whether the viewer is assigned to it. */
type CaseFacts = Pick<CaseHeaderView, 'stage' | 'assignedToViewer'>;

export function staffActor(viewer: Viewer, assignedToCase: boolean): Actor {
  // The roles that work cases: an admin administers, and reads cases only through another role.
  const caseRoles = rolesWith('cases.read');
  const roles = viewer.roles.filter((r): r is StaffRole => caseRoles.includes(r));
  return { kind: 'staff', userId: viewer.userId, roles, assignedToCase };
}

/** Whether the viewer works the case: intake, supervisors, or the investigator assigned to it. */
export function worksOn(viewer: Viewer, header: CaseFacts): boolean {
  return allows(viewer, 'cases.readAll') || (allows(viewer, 'cases.readAssigned') && header.assignedToViewer);
}

/** What this viewer may do on this case, beside the workflow's events. */
export function permissionsOn(viewer: Viewer, header: CaseFacts, boardSeesIdentity: boolean) {
  const works = worksOn(viewer, header);
  return {
    /** Notes, evidence uploads and the allegations list: the people who work the case. */
    works,
    editAllegations: works && EDITABLE_STAGES.has(header.stage),
    identity: seesIdentity(viewer, header.assignedToViewer, boardSeesIdentity),
  };
}

/** Everything of the case file this viewer may see: what the case page and the staff API read. */
export interface CaseFileView {
  header: CaseHeaderView;
  /** The workflow's facts of the case: tolled, referred to, a dismissal reason, a withdrawal asked for. */
  context: ComplaintContext;
  /** What this viewer may do beside the workflow's events (permissionsOn), and draft findings. */
  may: ReturnType<typeof permissionsOn> & { draftFindings: boolean };
  /** The workflow events this viewer may send from the case page now. */
  actions: ComplaintEventType[];
  /** Empty unless the viewer may see the complainant's identity. */
  complainants: PersonView[];
  reported: ReportedPeopleView;
  allegations: AllegationView[];
  /** Empty unless the viewer works the case. */
  notes: NoteView[];
  evidence: EvidenceView[];
  deadlines: DeadlineView[];
  timeline: TimelineEntry[];
  /** In board review: where the board's part happens (the meeting page), or that it waits for one. */
  board: BoardStepView | null;
  /** For the assignment and allegation forms; empty when the viewer has neither. */
  investigators: InvestigatorView[];
  officers: OfficerView[];
}

export type CaseFileService = ReturnType<typeof caseFileService>;

export function caseFileService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const now = deps.clock;
  const boardSeesIdentity = async (db: Executor) => (await getSetting<boolean>(db, BOARD_SEES_IDENTITY)) === true;

  return {
    /** The case header if this viewer may see it (R14), else undefined. */
    async header(viewer: Viewer, id: string, db: Executor = deps.db): Promise<CaseHeaderView | undefined> {
      const row = await caseHeader(db, id, viewer);
      return row && headerView(row);
    },

    /**
     * Everything of the case file this viewer may see, and the read itself in the audit log (R1).
     * Complainant identity only where the role or the board's policy allows (R15).
     */
    async view(viewer: Viewer, id: string, requestId: string | undefined): Promise<CaseFileView | undefined> {
      return deps.db.transaction().execute(async (trx) => {
        const row = await caseHeader(trx, id, viewer);
        if (!row) return undefined;
        const header = headerView(row);
        const may = permissionsOn(viewer, header, await boardSeesIdentity(trx));
        const snapshot = restore(row.snapshot, row.machine_version);
        const actor = staffActor(viewer, header.assignedToViewer);
        const allowed = availableEvents(snapshot, actor, now().toISOString());
        const actions = allowed.filter((e) => !NOT_FROM_CASE_PAGE.has(e));
        const [complainants, reported, allegations, notes, attachments, deadlines, trail, meeting] = await Promise.all([
          may.identity ? complainantsOf(trx, id) : Promise.resolve([]),
          reportedPeopleOf(trx, id),
          allegationsOf(trx, id),
          may.works ? notesOf(trx, id) : Promise.resolve([]),
          attachmentsOf(trx, id),
          deadlinesOf(trx, id),
          auditTrailOf(trx, id),
          header.stage === 'boardReview' ? boardMeetingOfCase(trx, id) : Promise.resolve(undefined),
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
          complainants: complainants.map(personView),
          reported: reportedView(reported, may.identity),
          allegations: allegations.map(allegationView),
          notes: notes.map(noteView),
          evidence: attachments.map((f) => evidenceView(f, may.works)),
          deadlines: deadlines.map(deadlineView),
          timeline: timelineOf(trail),
          board: header.stage === 'boardReview' ? boardStepView(meeting, allows(viewer, 'board.takePart')) : null,
          investigators: investigators.map(investigatorView),
          officers: officers.map(officerView),
        };
      });
    },
  };
}
