import { InvalidField, NotFound, Unavailable } from '../../domain/errors.js';
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import { attachmentOf } from './caseFile.repository.js';
import {
  categoryExists,
  insertAllegation,
  insertNote,
  isAssignableInvestigator,
  officerExists,
  reassign,
  updateAllegation,
  type AllegationValues,
} from './caseWork.repository.js';
import { insertAttachments } from '../residents/intake.repository.js';
import { getSetting } from '../../platform/db/settings.repository.js';
import { BOARD_SEES_IDENTITY } from '../../platform/db/caseAccess.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { permissionsOn, staffActor, worksOn, type CaseFileService } from './caseFile.service.js';
import type { CaseHeaderView } from './caseFile.view.js';
import { copyToSend, evidenceCopiesFor, evidenceDownloadName } from '../../platform/evidence/evidence.download.js';
import type { EvidenceService, StoredEvidence } from '../../platform/evidence/evidence.service.js';
import type { EvidenceStorage } from '../../platform/evidence/evidence.storage.js';
import { attachmentRow, auditEvidence } from '../residents/complaintParts.js';
import type { DispatchEvent, WorkflowService } from '../../platform/workflow/workflow.service.js';

/** The case is not there for this viewer (R14), or the thing asked for is not on it: HTTP 404. */
export class CaseNotVisible extends NotFound {
  constructor() {
    super('case not found');
    this.name = 'CaseNotVisible';
  }
}

/** The record of a file is there but the file itself is not: HTTP 404, and logged for an admin. */
export class EvidenceMissing extends NotFound {
  constructor(attachmentId: string) {
    super('evidence file missing from storage', {
      alert: 'evidence file missing from storage',
      context: { attachment: attachmentId },
    });
    this.name = 'EvidenceMissing';
  }
}

/** A value of the form that the database says is wrong (an unknown category or investigator): a field error. */
export class InvalidChoice extends InvalidField {
  constructor(field: string, messageKey?: string) {
    super(field, messageKey);
    this.name = 'InvalidChoice';
  }
}

export type CaseWorkService = ReturnType<typeof caseWorkService>;

/**
 * The changes staff make to a case: workflow events with their details, notes, allegations,
 * evidence (draft findings: caseFindings.service.ts). Each checks that the viewer may see the case and do this, writes in
 * one transaction and is audited.
 */
export function caseWorkService(deps: {
  db: Db;
  audit: AuditService;
  workflow: WorkflowService;
  caseFile: CaseFileService;
  evidence: EvidenceService;
  storage: EvidenceStorage;
}) {
  const { db, audit } = deps;

  async function openFor(viewer: Viewer, id: string, need?: 'works' | 'editAllegations'): Promise<CaseHeaderView> {
    const header = await deps.caseFile.header(viewer, id);
    if (!header) throw new CaseNotVisible();
    const boardSees = (await getSetting<boolean>(db, BOARD_SEES_IDENTITY)) === true;
    if (need && !permissionsOn(viewer, header, boardSees)[need]) throw new CaseNotVisible();
    return header;
  }

  const actorOf = (viewer: Viewer) => ({ type: 'user' as const, id: viewer.userId });

  async function checkAllegation(values: AllegationValues) {
    if (!(await categoryExists(db, values.category))) throw new InvalidChoice('category');
    if (values.officerId && !(await officerExists(db, values.officerId))) throw new InvalidChoice('officerId');
  }

  return {
    /**
     * A workflow event with its details. Details that are free text (a reopening reason, what a
     * resident said on the phone) become case notes in the same transaction, not audit details.
     */
    async act(viewer: Viewer, id: string, event: DispatchEvent, expectedVersion: number, requestId?: string) {
      const header = await openFor(viewer, id);
      if (event.type === 'ASSIGN' && !(await isAssignableInvestigator(db, event.investigatorId))) {
        throw new InvalidChoice('investigatorId');
      }
      const note = (kind: 'note' | 'complainant_update', body: string) => (trx: Parameters<typeof insertNote>[0]) =>
        insertNote(trx, { complaintId: id, authorId: viewer.userId, kind, body }).then(() => undefined);
      let within: ((trx: Parameters<typeof insertNote>[0]) => Promise<void>) | undefined;
      if (event.type === 'ASSIGN') within = (trx) => reassign(trx, id, event.investigatorId, viewer.userId);
      if (event.type === 'REOPEN') within = note('note', event.reason);
      return deps.workflow.dispatch(id, event, staffActor(viewer, header.assignedToViewer), {
        expectedVersion,
        requestId,
        ...(within ? { within } : {}),
      });
    },

    /** Information a resident gave by phone or in person: an ADD_INFORMATION event and a note. */
    async recordInformation(viewer: Viewer, id: string, text: string, expectedVersion: number, requestId?: string) {
      const header = await openFor(viewer, id);
      return deps.workflow.dispatch(id, { type: 'ADD_INFORMATION' }, staffActor(viewer, header.assignedToViewer), {
        expectedVersion,
        requestId,
        within: async (trx) => {
          await insertNote(trx, { complaintId: id, authorId: viewer.userId, kind: 'complainant_update', body: text });
        },
      });
    },

    async addNote(viewer: Viewer, id: string, note: { kind: 'note' | 'interview'; body: string }, requestId?: string) {
      await openFor(viewer, id, 'works');
      await db.transaction().execute(async (trx) => {
        const noteId = await insertNote(trx, { complaintId: id, authorId: viewer.userId, ...note });
        await audit.record(trx, {
          type: 'note.add',
          actor: actorOf(viewer),
          object: { type: 'complaint', id },
          requestId,
          details: { note: noteId, kind: note.kind },
        });
      });
    },

    async addAllegation(viewer: Viewer, id: string, values: AllegationValues, requestId?: string) {
      await openFor(viewer, id, 'editAllegations');
      await checkAllegation(values);
      await db.transaction().execute(async (trx) => {
        const allegationId = await insertAllegation(trx, id, values);
        await audit.record(trx, {
          type: 'allegation.add',
          actor: actorOf(viewer),
          object: { type: 'complaint', id },
          requestId,
          details: { allegation: allegationId, category: values.category, officer: values.officerId },
        });
      });
    },

    async updateAllegation(
      viewer: Viewer,
      id: string,
      allegationId: string,
      values: AllegationValues,
      requestId?: string,
    ) {
      await openFor(viewer, id, 'editAllegations');
      await checkAllegation(values);
      await db.transaction().execute(async (trx) => {
        if (!(await updateAllegation(trx, id, allegationId, values))) throw new CaseNotVisible();
        await audit.record(trx, {
          type: 'allegation.update',
          actor: actorOf(viewer),
          object: { type: 'complaint', id },
          requestId,
          details: { allegation: allegationId, category: values.category, officer: values.officerId },
        });
      });
    },

    /** Checks the viewer may add evidence to the case before anything is stored. */
    async mayAddEvidence(viewer: Viewer, id: string): Promise<void> {
      await openFor(viewer, id, 'works');
    },

    async addEvidence(viewer: Viewer, id: string, files: StoredEvidence[], requestId?: string) {
      await openFor(viewer, id, 'works');
      await db.transaction().execute(async (trx) => {
        const ids = await insertAttachments(trx, id, files.map(attachmentRow('staff', viewer.userId)));
        await auditEvidence(trx, audit, id, ids, files, requestId, actorOf(viewer));
      });
    },

    /**
     * A file of the case, as a stream to send as an attachment (R20); every download is audited.
     * `viewing` asks for the copy without Exif/GPS where there is one; those who do not work the
     * case get only that copy (evidenceCopiesFor). The type is the one sniffed at upload, and the
     * name ends in its extension, whatever the uploader called the file.
     */
    async download(viewer: Viewer, id: string, attachmentId: string, viewing: boolean, requestId?: string) {
      const header = await openFor(viewer, id);
      const file = await attachmentOf(db, id, attachmentId);
      if (!file) throw new CaseNotVisible();
      const copy = copyToSend(evidenceCopiesFor(worksOn(viewer, header), file), viewing);
      if (!copy) throw new CaseNotVisible();
      const name = copy === 'viewing' ? file.viewing_name! : file.stored_name;
      await db.transaction().execute((trx) =>
        audit.record(trx, {
          type: 'evidence.download',
          actor: actorOf(viewer),
          object: { type: 'complaint', id },
          requestId,
          details: { attachment: attachmentId, copy },
        }),
      );
      // A record whose file is gone (restored from a backup without its files) is not served half;
      // a store that cannot answer now (an object store's outage) is a 503, not a missing file.
      const size = await deps.storage.size(name).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Unavailable();
      });
      if (size === undefined) throw new EvidenceMissing(attachmentId);
      const stream: Readable = deps.storage.open(name);
      return {
        stream,
        name: evidenceDownloadName(file.original_name, file.sniffed_type),
        type: file.sniffed_type,
        size,
      };
    },
  };
}
