import { Conflict } from '../../domain/errors.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { Finding } from '../../domain/vocabulary.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { WorkflowService } from '../../platform/workflow/workflow.service.js';
import { mayActorSend } from '../../../workflows/complaint.permissions.js';
import { allegationIdsOf, draftFindingsOf, lockedStateOf, saveDraftFindings } from './caseWork.repository.js';
import { staffActor, type CaseFileService } from './caseFile.service.js';
import { CaseNotVisible, InvalidChoice } from './caseWork.service.js';

/** The workflow state in which findings are drafted. */
const DRAFTING = 'investigation.active';

export type CaseFindingsService = ReturnType<typeof caseFindingsService>;

/**
 * Draft findings (#17 item 9): saved as often as the investigator likes, blanks and all, then
 * submitted once complete (the DRAFT_FINDINGS event). Only the assigned investigator or a
 * supervisor, only while the findings are being drafted.
 */
export function caseFindingsService(deps: {
  db: Db;
  audit: AuditService;
  workflow: WorkflowService;
  caseFile: CaseFileService;
}) {
  const { db } = deps;

  /** The case, for someone whose role may draft its findings; anyone else finds no case (R14). */
  async function drafterOf(viewer: Viewer, id: string) {
    const header = await deps.caseFile.header(viewer, id);
    if (!header || !mayActorSend(staffActor(viewer, header.assignedToViewer), 'DRAFT_FINDINGS')) {
      throw new CaseNotVisible();
    }
    return header;
  }

  return {
    /** Allegation ids of the case, for the findings form. */
    async allegationIds(viewer: Viewer, id: string) {
      await drafterOf(viewer, id);
      return allegationIdsOf(db, id);
    },

    /**
     * Saves the findings as drafted so far: blanks stay blank and nothing is sent. The case's row
     * is locked, so a submission at the same moment cannot slip between the check and the write.
     */
    async save(
      viewer: Viewer,
      id: string,
      drafts: Array<{ id: string; finding: Finding | null; rationale: string | null }>,
      requestId?: string,
    ) {
      await drafterOf(viewer, id);
      const ids = await allegationIdsOf(db, id);
      if (drafts.length !== ids.length || !drafts.every((d) => ids.includes(d.id))) throw new InvalidChoice('findings');
      await db.transaction().execute(async (trx) => {
        if ((await lockedStateOf(trx, id)) !== DRAFTING) throw new Conflict('findings are no longer drafted');
        await saveDraftFindings(trx, id, drafts);
        await deps.audit.record(trx, {
          type: 'findings.draft_saved',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'complaint', id },
          requestId,
          details: { complete: drafts.filter((d) => d.finding && d.rationale).length, of: drafts.length },
        });
      });
    },

    /** Whether the findings are still a draft, and complete (for the confirmation page). */
    async status(viewer: Viewer, id: string) {
      const header = await drafterOf(viewer, id);
      const drafts = await draftFindingsOf(db, id);
      return {
        version: header.version,
        drafting: header.state === DRAFTING,
        complete: drafts.length > 0 && drafts.every((d) => d.draft_finding && d.draft_rationale),
      };
    },

    /** Submits the saved drafts for a supervisor's approval; refused unless every allegation has both. */
    async submit(viewer: Viewer, id: string, expectedVersion: number, requestId?: string) {
      const header = await drafterOf(viewer, id);
      return deps.workflow.dispatch(id, { type: 'DRAFT_FINDINGS' }, staffActor(viewer, header.assignedToViewer), {
        expectedVersion,
        requestId,
        within: async (trx) => {
          const drafts = await draftFindingsOf(trx, id);
          if (drafts.length === 0 || !drafts.every((d) => d.draft_finding && d.draft_rationale)) {
            throw new InvalidChoice('findings', 'caseFile.findings.incomplete');
          }
        },
      });
    },
  };
}
