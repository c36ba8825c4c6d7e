import type { Db } from '../db/database.js';
import type { PublicHistoryEntry } from '../db/schema.js';
import { purgeEndedWindows, recordFailures } from '../db/rateLimit.repository.js';
import { statusRow, type StatusRow } from '../db/status.repository.js';
import { availableEvents } from '../../workflows/complaint.permissions.js';
import { publicStageOf, restore, type StoredSnapshot } from '../../workflows/complaint.snapshot.js';
import type { ComplaintEventType, PublicStage } from '../../workflows/complaint.types.js';
import { accessCodeMatches, normaliseTrackingNumber } from './complaint.codes.js';
import { hmacHex, type Keys } from './keys.js';

/** What a resident may do from the status page, when the workflow allows it now. */
export const RESIDENT_ACTIONS = ['ADD_INFORMATION', 'UPDATE_CONTACT', 'WITHDRAW', 'REQUEST_RECONSIDERATION'] as const;
export type ResidentAction = (typeof RESIDENT_ACTIONS)[number];

export interface StatusView {
  complaintId: string;
  trackingNumber: string;
  stage: PublicStage;
  history: PublicHistoryEntry[];
  /** The next clock that runs for this case, when one does. */
  next: { kind: string; dueAt: Date } | undefined;
  outcome: string | null;
  /** Per allegation, once decided: the category and the finding, nothing else. */
  findings: Array<{ name_en: string; name_es: string; finding: string | null }>;
  actions: ResidentAction[];
  withdrawalRequested: boolean;
  reconsiderationUntil: string | null;
  anonymous: boolean;
}

export type LookupResult = { kind: 'found'; view: StatusView } | { kind: 'notFound' } | { kind: 'limited' };

export const LOOKUP_LIMITS = {
  /** Failed lookups of one tracking number, and from one client, per window. */
  perNumber: 5,
  perClient: 20,
  windowMs: 15 * 60 * 1000,
};

export type StatusService = ReturnType<typeof statusService>;

export function statusService(deps: { db: Db; keys: Keys; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const buckets = (trackingNumber: string, client: string) => ({
    number: `n:${trackingNumber}`.slice(0, 100),
    // The client's address is never stored as such: only a keyed hash of it, as a bucket name.
    client: `c:${hmacHex(deps.keys.client, client).slice(0, 32)}`,
  });

  return {
    /**
     * R10/R16: an unknown number and a wrong code take the same path (an HMAC compared against a
     * stand-in when there is no case) and give the same answer. While either bucket is over its
     * limit, even a right code is refused, so guessing cannot go on by another route.
     */
    async lookup(trackingInput: string, codeInput: string, client: string): Promise<LookupResult> {
      const trackingNumber = normaliseTrackingNumber(trackingInput);
      const keys = buckets(trackingNumber, client);
      const at = now();
      const row = await statusRow(deps.db, { trackingNumber }, keys, at);
      if (row.number_failures >= LOOKUP_LIMITS.perNumber || row.client_failures >= LOOKUP_LIMITS.perClient) {
        return { kind: 'limited' };
      }
      const matches = accessCodeMatches(deps.keys.accessCode, codeInput, row.access_code_hash ?? undefined);
      if (!matches) {
        await recordFailures(deps.db, [keys.number, keys.client], at, LOOKUP_LIMITS.windowMs);
        return { kind: 'notFound' };
      }
      return { kind: 'found', view: viewOf(row, at) };
    },

    /** The status of a case the resident has already opened with its code (the case session). */
    async view(complaintId: string): Promise<StatusView | undefined> {
      const at = now();
      const row = await statusRow(deps.db, { id: complaintId }, undefined, at);
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
    findings: decided ? (row.allegations ?? []) : [],
    actions: RESIDENT_ACTIONS.filter((action) => allowed.has(action)),
    withdrawalRequested: snapshot.context.withdrawalRequested,
    reconsiderationUntil: snapshot.context.reconsiderationUntil,
    anonymous: row.anonymous ?? false,
  };
}
