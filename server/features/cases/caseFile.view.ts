import type { Finding, Language, Stage } from '../../domain/vocabulary.js';
import type * as repository from './caseFile.repository.js';
import {
  evidenceCopiesFor,
  evidenceDownloadName,
  type EvidenceCopies,
} from '../../platform/evidence/evidence.download.js';

// The parts of the case file (CaseFileView) as the case page, the allegation form and the staff API
// read them: named fields, not table rows. The repositories return rows; the service maps them here.

type Row<K extends keyof typeof repository> = NonNullable<Awaited<ReturnType<(typeof repository)[K]>>>;
type HeaderRow = Row<'caseHeader'>;
type ComplainantRow = Row<'complainantsOf'>[number];
type AllegationRow = Row<'allegationsOf'>[number];
type NoteRow = Row<'notesOf'>[number];
type AttachmentRow = Row<'attachmentsOf'>[number];
type DeadlineRow = Row<'deadlinesOf'>[number];

/** The case itself, as this viewer may see it. */
export interface CaseHeaderView {
  id: string;
  trackingNumber: string;
  version: number;
  stage: Stage;
  state: string;
  language: Language;
  channel: HeaderRow['channel'];
  anonymous: boolean;
  narrative: string;
  /** 'YYYY-MM-DD'. */
  incidentDate: string | null;
  incidentTime: string | null;
  incidentLocation: string | null;
  district: string | null;
  receivedAt: Date;
  outcome: HeaderRow['outcome'];
  legalHold: boolean;
  /** The viewer is the investigator assigned to the case now. */
  assignedToViewer: boolean;
  assigneeName: string | null;
}

/** A complainant, or the person who filed for them. */
export interface PersonView {
  role: ComplainantRow['role'];
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  preferredLanguage: Language;
  preferredContact: ComplainantRow['preferred_contact'];
  relationship: string | null;
}

/** The officers and witnesses the resident named, in their order. */
export interface ReportedPeopleView {
  officers: Array<{ name: string | null; badgeNumber: string | null; description: string | null }>;
  witnesses: Array<{ name: string | null; contact: string | null; description: string | null }>;
}

/** An officer of the roster. */
export interface OfficerView {
  id: string;
  rank: string | null;
  firstName: string;
  lastName: string;
  badgeNumber: string | null;
}

export interface AllegationView {
  id: string;
  category: string;
  categoryName: { en: string; es: string };
  /** The officer of the roster, if one was chosen; else officerDescription may say who. */
  officer: OfficerView | null;
  officerDescription: string | null;
  summary: string | null;
  draftFinding: Finding | null;
  draftRationale: string | null;
  finding: Finding | null;
}

export interface NoteView {
  id: string;
  kind: NoteRow['kind'];
  body: string;
  createdAt: Date;
  /** The author's name; null for the system. */
  author: string | null;
}

/** A file of the case, with the copies this viewer may download. */
export interface EvidenceView {
  id: string;
  source: AttachmentRow['source'];
  /** The name the uploader gave it. */
  originalName: string;
  /** The name it downloads under (evidenceDownloadName). */
  downloadName: string;
  /** The type sniffed from its bytes. */
  type: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
  /** The member of staff who uploaded it; null for the complainant. */
  uploader: string | null;
  copies: EvidenceCopies;
}

export interface DeadlineView {
  kind: string;
  dueAt: Date;
  status: DeadlineRow['status'];
  tolledAt: Date | null;
  completedAt: Date | null;
}

/** An investigator the case can be assigned to, with their open caseload. */
export interface InvestigatorView {
  id: string;
  name: string;
  openCases: number;
}

export const headerView = (h: HeaderRow): CaseHeaderView => ({
  id: h.id,
  trackingNumber: h.tracking_number,
  version: h.version,
  stage: h.stage,
  state: h.state,
  language: h.language,
  channel: h.channel,
  anonymous: h.anonymous,
  narrative: h.narrative,
  incidentDate: h.incident_date,
  incidentTime: h.incident_time,
  incidentLocation: h.incident_location,
  district: h.district,
  receivedAt: h.received_at,
  outcome: h.outcome,
  legalHold: h.legal_hold,
  assignedToViewer: h.assigned_to_viewer,
  assigneeName: h.assignee_name,
});

export const personView = (p: ComplainantRow): PersonView => ({
  role: p.role,
  name: p.name,
  email: p.email,
  phone: p.phone,
  address: p.address,
  preferredLanguage: p.preferred_language,
  preferredContact: p.preferred_contact,
  relationship: p.relationship,
});

/** A witness's contact identifies a person as much as the complainant's does: only with identity. */
export const reportedView = (r: Row<'reportedPeopleOf'>, identity: boolean): ReportedPeopleView => ({
  officers: r.officers.map((o) => ({ name: o.name, badgeNumber: o.badge_number, description: o.description })),
  witnesses: r.witnesses.map((w) => ({
    name: w.name,
    contact: identity ? w.contact : null,
    description: w.description,
  })),
});

export const officerView = (o: Row<'activeOfficers'>[number]): OfficerView => ({
  id: o.id,
  rank: o.rank,
  firstName: o.first_name,
  lastName: o.last_name,
  badgeNumber: o.badge_number,
});

export const allegationView = (a: AllegationRow): AllegationView => ({
  id: a.id,
  category: a.category,
  categoryName: { en: a.name_en, es: a.name_es },
  officer:
    a.officer_id === null
      ? null
      : officerView({ ...a, id: a.officer_id, first_name: a.first_name ?? '', last_name: a.last_name ?? '' }),
  officerDescription: a.officer_description,
  summary: a.summary,
  draftFinding: a.draft_finding,
  draftRationale: a.draft_rationale,
  finding: a.finding,
});

export const noteView = (n: NoteRow): NoteView => ({
  id: n.id,
  kind: n.kind,
  body: n.body,
  createdAt: n.created_at,
  author: n.author,
});

export const evidenceView = (f: AttachmentRow, worksTheCase: boolean): EvidenceView => ({
  id: f.id,
  source: f.source,
  originalName: f.original_name,
  downloadName: evidenceDownloadName(f.original_name, f.sniffed_type),
  type: f.sniffed_type,
  sizeBytes: f.size_bytes,
  sha256: f.sha256,
  createdAt: f.created_at,
  uploader: f.uploader,
  copies: evidenceCopiesFor(worksTheCase, f),
});

export const deadlineView = (d: DeadlineRow): DeadlineView => ({
  kind: d.kind,
  dueAt: d.due_at,
  status: d.status,
  tolledAt: d.tolled_at,
  completedAt: d.completed_at,
});

export const investigatorView = (i: Row<'assignableInvestigators'>[number]): InvestigatorView => ({
  id: i.id,
  name: i.display_name,
  openCases: Number(i.open_cases ?? 0),
});
