import type { Language } from '../../domain/vocabulary.js';
import type { allRecommendations, decisionsOf, updatesOf } from './recommendation.repository.js';

// View models of policy recommendations: named fields, in the reader's language where there is a choice.

type Rows<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
type RecommendationRow = Rows<typeof allRecommendations>[number];
type UpdateRow = Rows<typeof updatesOf>[number];
type DecisionRow = Rows<typeof decisionsOf>[number];

/** Where a recommendation stands, as the tracker names it: its latest implementation update, else its response. */
export type TrackerStatus =
  | 'awaiting_response'
  | 'response_overdue'
  | 'accepted'
  | 'partially_accepted'
  | 'rejected'
  | 'under_study'
  | 'in_progress'
  | 'implemented'
  | 'not_implemented';

export const TRACKER_STATUSES: readonly TrackerStatus[] = [
  'awaiting_response',
  'response_overdue',
  'under_study',
  'accepted',
  'partially_accepted',
  'rejected',
  'in_progress',
  'implemented',
  'not_implemented',
];

export interface UpdateView {
  kind: 'response' | 'implementation';
  status: string;
  body: string;
  occurredOn: string;
}

export interface RecommendationView {
  id: string;
  reference: string;
  title: string;
  /** The title in each language, for the open data. */
  titles: { en: string; es: string };
  body: string;
  basis: string;
  /** 'draft', 'adopted' or 'not_adopted': the board's part. */
  boardStatus: string;
  adoptedAt: Date | null;
  responseDueAt: Date | null;
  /** For an adopted recommendation, where it stands now; null before. */
  status: TrackerStatus | null;
  /** The day of the response or update that says so; null before any. */
  statusSince: string | null;
  /** The board's vote that decided it, if any. */
  decision: { outcome: string; votesFor: number; votesAgainst: number; meetingAt: Date } | null;
  updates: UpdateView[];
}

/** Where it stands, and since when: the last implementation update recorded, else the last response. */
export function statusOf(
  row: Pick<RecommendationRow, 'status' | 'response_due_at'>,
  updates: UpdateView[],
  now: Date,
): { status: TrackerStatus; since: string | null } | null {
  if (row.status !== 'adopted') return null;
  const latest = (kind: UpdateView['kind']) => updates.filter((u) => u.kind === kind).at(-1);
  const inForce = latest('implementation') ?? latest('response');
  if (inForce) return { status: inForce.status as TrackerStatus, since: inForce.occurredOn };
  const overdue = row.response_due_at && now >= row.response_due_at;
  return { status: overdue ? 'response_overdue' : 'awaiting_response', since: null };
}

export function recommendationView(
  row: RecommendationRow,
  updates: readonly UpdateRow[],
  decisions: readonly DecisionRow[],
  language: Language,
  now: Date,
): RecommendationView {
  const mine = updates
    .filter((u) => u.recommendation_id === row.id)
    .map((u) => ({ kind: u.kind, status: u.status, body: u.body, occurredOn: u.occurred_on }));
  const decided = decisions.filter((d) => d.recommendation_id === row.id && d.outcome !== 'no_quorum').at(-1);
  const es = language === 'es';
  const standing = statusOf(row, mine, now);
  return {
    id: row.id,
    reference: row.reference,
    title: es ? row.title_es : row.title_en,
    titles: { en: row.title_en, es: row.title_es },
    body: es ? row.body_es : row.body_en,
    basis: es ? row.basis_es : row.basis_en,
    boardStatus: row.status,
    adoptedAt: row.adopted_at,
    responseDueAt: row.response_due_at,
    status: standing?.status ?? null,
    statusSince: standing?.since ?? null,
    decision: decided
      ? {
          outcome: decided.outcome!,
          votesFor: decided.votes_for ?? 0,
          votesAgainst: decided.votes_against ?? 0,
          meetingAt: decided.scheduled_for,
        }
      : null,
    updates: mine,
  };
}
