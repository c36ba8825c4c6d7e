import type { Discipline, Language } from '../../domain/vocabulary.js';
import type {
  casesAwaitingResponse,
  recentResponses,
  responseCase,
  responsesOf,
} from './departmentResponse.repository.js';
import type { allegationsOf } from '../cases/caseFile.repository.js';
import { allegationView, type AllegationView } from '../cases/caseFile.view.js';

// View models of the department's responses: named fields, not table rows.

type Rows<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** The state of a case's response clock: running (open or warned), overdue, or stopped. */
export interface ResponseClockView {
  startsAt: Date;
  dueAt: Date;
  status: string;
  completedAt: Date | null;
}

export interface ResponseEntryView {
  id: string;
  concurred: boolean;
  discipline: Discipline;
  suspensionDays: number | null;
  respondedOn: string;
  note: string | null;
  recordedAt: Date;
  recordedBy: string | null;
}

/** A sustained allegation, named as the case page names it, with the department's responses to it. */
export interface SustainedAllegationView extends AllegationView {
  /** The board's discipline recommendation, if it made one. */
  recommendation: string | null;
  /** In the order recorded: the last is the response in force. */
  entries: ResponseEntryView[];
}

export interface CaseResponsesView {
  id: string;
  trackingNumber: string;
  stage: string;
  /** The day of the decision the responses answer, in the agency's zone: no response can be older. */
  decidedOn: string;
  /** Whether every sustained allegation has a response. */
  answered: boolean;
  clock: ResponseClockView | null;
  allegations: SustainedAllegationView[];
}

export const caseResponsesView = (
  header: NonNullable<Rows<typeof responseCase>>,
  decidedOn: string,
  allegations: Rows<typeof allegationsOf>,
  entries: Rows<typeof responsesOf>,
): CaseResponsesView => ({
  id: header.id,
  trackingNumber: header.tracking_number,
  stage: header.stage,
  decidedOn,
  answered: allegations.every((a) => entries.some((e) => e.allegation_id === a.id)),
  clock:
    header.starts_at && header.due_at && header.status
      ? { startsAt: header.starts_at, dueAt: header.due_at, status: header.status, completedAt: header.completed_at }
      : null,
  allegations: allegations.map((a) => ({
    ...allegationView(a),
    recommendation: a.discipline_recommendation,
    entries: entries
      .filter((e) => e.allegation_id === a.id)
      .map((e) => ({
        id: e.id,
        concurred: e.concurred,
        discipline: e.discipline,
        suspensionDays: e.suspension_days,
        respondedOn: e.responded_on,
        note: e.note,
        recordedAt: e.recorded_at,
        recordedBy: e.recorded_by,
      })),
  })),
});

export const awaitingView = (row: Rows<typeof casesAwaitingResponse>[number]) => ({
  id: row.id,
  trackingNumber: row.tracking_number,
  stage: row.stage,
  decidedAt: row.starts_at,
  dueAt: row.due_at,
  overdue: row.status === 'breached',
});

export const recentView = (row: Rows<typeof recentResponses>[number]) => ({
  id: row.id,
  trackingNumber: row.tracking_number,
  concurred: row.concurred,
  discipline: row.discipline,
  respondedOn: row.responded_on,
  recordedAt: row.recorded_at,
});

/** An allegation as the case page names it: its category, then the officer (or their description). */
export function allegationName(a: SustainedAllegationView, language: Language): string {
  const category = language === 'es' ? a.categoryName.es : a.categoryName.en;
  const officer = a.officer
    ? [a.officer.rank, a.officer.firstName, a.officer.lastName].filter(Boolean).join(' ')
    : a.officerDescription;
  return officer ? `${category}: ${officer}` : category;
}
