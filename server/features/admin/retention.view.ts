import type { Stage } from '../../domain/vocabulary.js';
import type { RetentionCandidate, RetentionClass, RetentionYears, caseHoldById } from './retention.repository.js';

type CaseHoldRow = NonNullable<Awaited<ReturnType<typeof caseHoldById>>>;

/** A case past retention, as the due page lists it. */
export interface RetentionCaseView {
  id: string;
  trackingNumber: string;
  outcome: string | null;
  retentionClass: RetentionClass | null;
  closedAt: Date;
  expiresAt: Date;
}

/** The due page: the policy, the counts, one page of purgeable cases and the held ones apart. */
export interface RetentionDueView {
  policy: RetentionYears;
  counts: { purgeable: number; held: number };
  pages: number;
  purgeable: RetentionCaseView[];
  held: RetentionCaseView[];
}

/** A case as the legal-hold form shows it. */
export interface CaseHoldView {
  id: string;
  trackingNumber: string;
  stage: Stage;
  outcome: CaseHoldRow['outcome'];
  closedAt: Date | null;
  legalHold: boolean;
}

export function toRetentionCaseView(row: RetentionCandidate): RetentionCaseView {
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    outcome: row.outcome,
    retentionClass: row.retention_class,
    closedAt: row.closed_at,
    expiresAt: row.expires_at,
  };
}

export function toCaseHoldView(row: CaseHoldRow): CaseHoldView {
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    stage: row.stage,
    outcome: row.outcome,
    closedAt: row.closed_at,
    legalHold: row.legal_hold,
  };
}
