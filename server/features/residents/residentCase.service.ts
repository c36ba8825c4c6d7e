import { Conflict } from '../../domain/errors.js';
import type { Db } from '../../platform/db/database.js';
import { insertAttachments } from './intake.repository.js';
import {
  attachmentCount,
  contactPerson,
  insertComplainantNote,
  updateContactPerson,
} from './residentCase.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { StoredEvidence } from '../../platform/evidence/evidence.service.js';
import { attachmentRow, auditEvidence } from './complaintParts.js';
import type { WorkflowService } from '../../platform/workflow/workflow.service.js';

const RESIDENT = { kind: 'complainant' } as const;

export interface ContactDetails {
  email?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  preferredLanguage: 'en' | 'es';
  preferredContact: 'email' | 'phone' | 'mail' | 'none';
}

/** The contact on file, as the contact form starts from it. */
export interface ContactOnFile {
  email: string | null;
  phone: string | null;
  address: string | null;
  preferredLanguage: 'en' | 'es';
  preferredContact: 'email' | 'phone' | 'mail' | 'none' | null;
}

/** There is no contact on file to change: the case is anonymous. */
export class NoContactOnFile extends Conflict {
  constructor() {
    super('no contact on file');
    this.name = 'NoContactOnFile';
  }
}

export type ResidentCaseService = ReturnType<typeof residentCaseService>;

/** A resident's own actions on their case: each one a workflow event, audited by dispatch. */
export function residentCaseService(deps: { db: Db; workflow: WorkflowService; audit: AuditService }) {
  return {
    /** How many more files this case takes from the resident. */
    async filesLeft(complaintId: string, maxFiles: number): Promise<number> {
      return Math.max(0, maxFiles - (await attachmentCount(deps.db, complaintId)));
    },

    async addInformation(
      complaintId: string,
      input: { text: string | undefined; evidence: StoredEvidence[] },
      requestId?: string,
    ) {
      return deps.workflow.dispatch(complaintId, { type: 'ADD_INFORMATION' }, RESIDENT, {
        requestId,
        within: async (trx) => {
          if (input.text) await insertComplainantNote(trx, complaintId, input.text);
          const ids = await insertAttachments(trx, complaintId, input.evidence.map(attachmentRow('complainant')));
          await auditEvidence(trx, deps.audit, complaintId, ids, input.evidence, requestId);
        },
      });
    },

    async contact(complaintId: string): Promise<ContactOnFile | undefined> {
      const person = await contactPerson(deps.db, complaintId);
      if (!person) return undefined;
      return {
        email: person.email,
        phone: person.phone,
        address: person.address,
        preferredLanguage: person.preferred_language,
        preferredContact: person.preferred_contact,
      };
    },

    async updateContact(complaintId: string, contact: ContactDetails, requestId?: string) {
      const person = await contactPerson(deps.db, complaintId);
      if (!person) throw new NoContactOnFile();
      return deps.workflow.dispatch(complaintId, { type: 'UPDATE_CONTACT' }, RESIDENT, {
        requestId,
        within: (trx) =>
          updateContactPerson(trx, person.id, {
            email: contact.email ?? null,
            phone: contact.phone ?? null,
            address: contact.address ?? null,
            preferred_language: contact.preferredLanguage,
            preferred_contact: contact.preferredContact,
          }),
      });
    },

    withdraw(complaintId: string, requestId?: string) {
      return deps.workflow.dispatch(complaintId, { type: 'WITHDRAW' }, RESIDENT, { requestId });
    },

    requestReconsideration(complaintId: string, requestId?: string) {
      return deps.workflow.dispatch(complaintId, { type: 'REQUEST_RECONSIDERATION' }, RESIDENT, { requestId });
    },
  };
}
