import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { PublicHistoryEntry } from '../../domain/vocabulary.js';
import { purgeEndedWindows } from '../../platform/security/rateLimit.repository.js';
import { statusRow, type StatusRow } from './status.repository.js';
import { availableEvents } from '../../../workflows/complaint.permissions.js';
import { publicStageOf, restore, type StoredSnapshot } from '../../../workflows/complaint.snapshot.js';
import type { ComplaintEventType, PublicStage } from '../../../workflows/complaint.types.js';
import { hashAccessCode, normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';
import type { Keys } from '../../platform/security/keys.js';
import { throttle, type ThrottlePolicy } from '../../platform/security/throttle.js';

/** What a resident may do from the status page, when the workflow allows it now. */
export const RESIDENT_ACTIONS = ['ADD_INFORMATION', 'UPDATE_CONTACT', 'WITHDRAW', 'REQUEST_RECONSIDERATION'] as const;
export type ResidentAction = (typeof RESIDENT_ACTIONS)[number];

/** An allegation of a decided case as the resident sees it: its category's names and the finding. */
export interface StatusFinding {
  nameEn: string;
  nameEs: string;
  finding: string | null;
}

export interface StatusView {
  complaintId: string;
  trackingNumber: string;
  stage: PublicStage;
  history: PublicHistoryEntry[];
  /** The next clock that runs for this case, when one does. */
  next: { kind: string; dueAt: Date } | undefined;
  outcome: string | null;
  /** Per allegation, once decided: the category and the finding, nothing else. */
  findings: StatusFinding[];
  actions: ResidentAction[];
  withdrawalRequested: boolean;
  reconsiderationUntil: string | null;
  anonymous: boolean;
}

export type LookupResult = { kind: 'found'; view: StatusView } | { kind: 'notFound' } | { kind: 'limited' };

/** R7, R16: how guessing access codes is held back (see ThrottlePolicy). */
export const LOOKUP_LIMITS: ThrottlePolicy = {
  name: 'n',
  /** Failed lookups of one number from one client that lock that client out of it, and for how long. */
  lockAfter: 5,
  lockMs: 15 * 60 * 1000,
  /** Failed lookups of one number from anywhere, and from one client of any number, before lookups wait. */
  slowSubjectAfter: 10,
  slowClientAfter: 20,
  windowMs: 15 * 60 * 1000,
};

export type StatusService = ReturnType<typeof statusService>;

export function statusService(deps: { db: Db; keys: Keys; clock: Clock }) {
  const now = deps.clock;
  const guesses = throttle({ db: deps.db, clientKey: deps.keys.client, clock: now }, LOOKUP_LIMITS);

  return {
    /**
     * R10/R16: an unknown number and a wrong code take the same path (the code's keyed hashes
     * compared in the same statement that reads the case) and give the same answer. A client
     * locked out of a number is refused even with the right code; anyone else with the right code
     * gets in (R7). Only a failure is counted (#18 item 2: one round trip, no write for the
     * resident with the right code).
     */
    async lookup(trackingInput: string, codeInput: string, client: string): Promise<LookupResult> {
      const trackingNumber = normaliseTrackingNumber(trackingInput);
      const at = now();
      const planned = guesses.plan(trackingNumber, client);
      const codeHashes = deps.keys.rings.accessCode.map((key) => hashAccessCode(key, codeInput));
      const row = await statusRow(deps.db, {
        trackingNumber,
        lookup: { codeHashes, guard: (passed) => guesses.guard(planned, at, passed) },
      });
      const attempt = await guesses.settleGuarded(planned, row.attempts ?? { failed: null, passed: null, seen: null });
      if (attempt.locked) return { kind: 'limited' };
      if (!row.matched || !row.id) return { kind: 'notFound' };
      return { kind: 'found', view: viewOf(row, at) };
    },

    /** The status of a case the resident has already opened with its code (the case session). */
    async view(complaintId: string): Promise<StatusView | undefined> {
      const at = now();
      const row = await statusRow(deps.db, { id: complaintId });
      return row.id ? viewOf(row, at) : undefined;
    },

    purgeEndedWindows(): Promise<number> {
      return purgeEndedWindows(deps.db, now());
    },
  };
}

function viewOf(row: StatusRow, at: Date): StatusView {
  const snapshot = restore(row.snapshot as StoredSnapshot, row.machine_version!);
  const allowed = new Set<ComplaintEventType>(availableEvents(snapshot, { kind: 'complainant' }, at.toISOString()));
  const decided = row.outcome === 'decided';
  return {
    complaintId: row.id!,
    trackingNumber: row.tracking_number!,
    stage: publicStageOf(snapshot),
    history: row.public_history ?? [],
    next: row.next_deadline ? { kind: row.next_deadline.kind, dueAt: new Date(row.next_deadline.due_at) } : undefined,
    outcome: row.outcome,
    findings: decided
      ? (row.allegations ?? []).map((a) => ({ nameEn: a.name_en, nameEs: a.name_es, finding: a.finding }))
      : [],
    actions: RESIDENT_ACTIONS.filter((action) => allowed.has(action)),
    withdrawalRequested: snapshot.context.withdrawalRequested,
    reconsiderationUntil: snapshot.context.reconsiderationUntil,
    anonymous: row.anonymous ?? false,
  };
}
