import type { Executor } from '../../platform/db/executor.js';
import type { AuditActor, AuditService } from '../../platform/audit/audit.service.js';
import type { StoredEvidence } from '../../platform/evidence/evidence.service.js';
import type { ComplaintSubmission } from './complaint.schemas.js';
import type { ComplaintParts } from './intake.repository.js';

/** A complaint's parts as the database keeps them, from what a resident filed; shared by staff uploads. */

/** The complaint row's own fields from a submission (the workflow and the intake add the rest). */
export function complaintRowOf(submission: ComplaintSubmission, channel: 'web' | 'api') {
  return {
    language: submission.language,
    channel,
    anonymous: submission.about.filing === 'anonymous',
    on_behalf: submission.about.filing === 'someone_else',
    narrative: submission.narrative,
    incident_date: submission.incidentDate ?? null,
    incident_time: submission.incidentTime ?? null,
    incident_location: submission.location ?? null,
    district: submission.district ?? null,
  };
}

/** The people, officers, witnesses, categories and files of a submission, as rows. */
export function partsOf(submission: ComplaintSubmission, evidence: StoredEvidence[]): ComplaintParts {
  const about = submission.about;
  const people: ComplaintParts['people'] = [];
  const demographics = submission.demographics ? JSON.stringify(submission.demographics) : null;
  if (about.filing !== 'anonymous') {
    const own = {
      name: about.name ?? null,
      email: about.email ?? null,
      phone: about.phone ?? null,
      address: about.address ?? null,
      preferred_language: about.preferredLanguage ?? submission.language,
      preferred_contact: about.preferredContact ?? null,
    };
    if (about.filing === 'self') {
      people.push({ role: 'complainant', ...own, demographics });
    } else {
      people.push({ role: 'filer', ...own, relationship: about.relationship ?? null });
      people.push({
        role: 'complainant',
        name: about.theirName ?? null,
        email: about.theirEmail ?? null,
        phone: about.theirPhone ?? null,
        preferred_language: about.preferredLanguage ?? submission.language,
        demographics,
      });
    }
  }
  return {
    people,
    officers: submission.officers.map((o, position) => ({
      position,
      name: o.name ?? null,
      badge_number: o.badgeNumber ?? null,
      description: o.description ?? null,
    })),
    witnesses: submission.witnesses.map((w, position) => ({
      position,
      name: w.name ?? null,
      contact: w.contact ?? null,
      description: w.description ?? null,
    })),
    categories: [...new Set(submission.categories)],
    attachments: evidence.map(attachmentRow('complainant')),
  };
}

export const attachmentRow = (source: 'complainant' | 'staff', uploadedBy?: string) => (e: StoredEvidence) => ({
  source,
  uploaded_by: uploadedBy ?? null,
  stored_name: e.storedName,
  viewing_name: e.viewingName,
  original_name: e.originalName,
  sniffed_type: e.mime,
  size_bytes: e.sizeBytes,
  sha256: e.sha256,
});

/** Each file's fingerprint goes into the audit chain, so a later change to it would show (R21). */
export async function auditEvidence(
  trx: Executor,
  audit: AuditService,
  complaintId: string,
  attachmentIds: string[],
  evidence: StoredEvidence[],
  requestId: string | undefined,
  actor: AuditActor = { type: 'public' },
): Promise<void> {
  for (const [i, id] of attachmentIds.entries()) {
    const file = evidence[i]!;
    await audit.record(trx, {
      type: 'evidence.upload',
      actor,
      object: { type: 'complaint', id: complaintId },
      requestId,
      details: { attachment: id, sha256: file.sha256, bytes: file.sizeBytes, type: file.mime },
    });
  }
}
