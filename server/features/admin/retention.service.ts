import type { Clock } from '../../platform/clock.js';
import { DateTime } from 'luxon';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import {
  RETENTION_CLASSES,
  caseHoldById,
  caseHoldByTrackingNumber,
  casesPastRetention,
  countPastRetention,
  deleteComplaints,
  deleteMessagesAbout,
  evidenceFilesOf,
  lockPurgeable,
  updateLegalHold,
  type RetentionYears,
} from './retention.repository.js';
import { insertNote } from '../cases/caseWork.repository.js';
import { getSetting, putSetting } from '../../platform/db/settings.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';
import type { EvidenceService } from '../../platform/evidence/evidence.service.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';
import {
  toCaseHoldView,
  toRetentionCaseView,
  type CaseHoldView,
  type RetentionCaseView,
  type RetentionDueView,
} from './retention.view.js';

export { RETENTION_CLASSES, type RetentionYears, type CaseHoldView, type RetentionCaseView, type RetentionDueView };

export const RETENTION_POLICY_KEY = 'retention.policy';
/** California Penal Code 832.5: five years, fifteen where a finding was sustained. */
export const DEFAULT_RETENTION: RetentionYears = {
  referred: 5,
  dismissed: 5,
  mediated: 5,
  withdrawn: 5,
  decided: 5,
  sustained: 15,
};
export const DUE_PAGE_SIZE = 50;
export const HELD_SHOWN = 200;
const PURGE_BATCH = 200;
/** A confirmation page older than this is shown again rather than acted on. */
const CONFIRMATION_MAX_AGE_MS = 60 * 60 * 1000;

export type PurgeResult = { kind: 'purged'; purged: number; filesLeft: number } | { kind: 'stale' };
export type RetentionService = ReturnType<typeof retentionService>;

/** Records retention (R5): the policy, legal holds, and the purge of closed cases past retention. */
export function retentionService(deps: {
  db: Db;
  audit: AuditService;
  evidence: EvidenceService;
  timeZone: string;
  clock: Clock;
}) {
  const { db, audit, evidence } = deps;
  const now = deps.clock;
  const user = (id: string) => ({ type: 'user' as const, id });
  /** A day as the agency reads it. */
  const localDay = (at: Date): string =>
    DateTime.fromJSDate(at, { zone: deps.timeZone }).toISODate() ?? at.toISOString().slice(0, 10);
  const policyIn = async (executor: Executor) => readPolicy(await getSetting<unknown>(executor, RETENTION_POLICY_KEY));

  return {
    policy: () => policyIn(db),

    async setPolicy(actorId: string, years: RetentionYears, requestId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await putSetting(trx, RETENTION_POLICY_KEY, years);
        await audit.record(trx, {
          type: 'retention.policy.change',
          actor: user(actorId),
          requestId,
          details: { ...years },
        });
      });
    },

    /** One page of the cases past retention, and the held ones apart (they are not purgeable). */
    async due(actorId: string, page: number, requestId: string): Promise<RetentionDueView> {
      const asOf = now();
      return db.transaction().execute(async (trx) => {
        const policy = await policyIn(trx);
        await audit.record(trx, { type: 'retention.review', actor: user(actorId), requestId, details: { page } });
        const counts = await countPastRetention(trx, policy, asOf);
        const cases = async (held: boolean, limit: number, offset: number) =>
          (await casesPastRetention(trx, policy, asOf, { held, limit, offset })).map(toRetentionCaseView);
        return {
          policy,
          counts,
          pages: Math.max(1, Math.ceil(counts.purgeable / DUE_PAGE_SIZE)),
          purgeable: await cases(false, DUE_PAGE_SIZE, (page - 1) * DUE_PAGE_SIZE),
          held: await cases(true, HELD_SHOWN, 0),
        };
      });
    },

    /** What a purge now would remove, and what the confirmation form must send back. */
    async purgePreview() {
      const policy = await policyIn(db);
      const asOf = now();
      return { counts: await countPastRetention(db, policy, asOf), asOf, fingerprint: fingerprintOf(policy) };
    },

    /**
     * Purges the cases that were past retention at the confirmation page's time and still are,
     * under the same policy, and are not held. Each batch locks its rows, deletes them (dependants
     * cascade) and records one `complaint.purge` per case in one transaction; files go after commit.
     */
    async purge(
      actorId: string,
      confirmed: { asOf: Date; fingerprint: string },
      requestId: string,
    ): Promise<PurgeResult> {
      const age = now().getTime() - confirmed.asOf.getTime();
      if (age < 0 || age > CONFIRMATION_MAX_AGE_MS) return { kind: 'stale' };
      let purged = 0;
      let filesLeft = 0;
      for (;;) {
        const batch = await db.transaction().execute(async (trx) => {
          const policy = await policyIn(trx);
          if (fingerprintOf(policy) !== confirmed.fingerprint) return undefined;
          const rows = await lockPurgeable(trx, policy, confirmed.asOf, PURGE_BATCH);
          const ids = rows.map((row) => row.id);
          const files = await evidenceFilesOf(trx, ids);
          await deleteMessagesAbout(
            trx,
            rows.map((row) => row.tracking_number),
          );
          await deleteComplaints(trx, ids);
          for (const row of rows) {
            await audit.record(trx, {
              type: 'complaint.purge',
              actor: user(actorId),
              object: { type: 'complaint', id: row.id },
              requestId,
              details: { outcome: row.outcome, closedOn: localDay(row.closed_at) },
            });
          }
          return { count: rows.length, files };
        });
        if (!batch) return purged === 0 ? { kind: 'stale' } : { kind: 'purged', purged, filesLeft };
        purged += batch.count;
        const removed = await Promise.allSettled(batch.files.map((name) => evidence.discard([name])));
        filesLeft += removed.filter((result) => result.status === 'rejected').length;
        // A short batch does not mean the end: FOR UPDATE drops rows held meanwhile. Stop on an empty one.
        if (batch.count === 0) break;
      }
      return { kind: 'purged', purged, filesLeft };
    },

    /** A case for the legal-hold form, by the number staff and residents quote; the read is audited. */
    async findCase(actorId: string, trackingNumber: string, requestId: string): Promise<CaseHoldView | undefined> {
      return db.transaction().execute(async (trx) => {
        const found = await caseHoldByTrackingNumber(trx, normaliseTrackingNumber(trackingNumber));
        if (found) {
          await audit.record(trx, {
            type: 'case.read',
            actor: user(actorId),
            object: { type: 'complaint', id: found.id },
            requestId,
            details: { view: 'legal_hold' },
          });
        }
        return found && toCaseHoldView(found);
      });
    },

    async caseById(complaintId: string): Promise<CaseHoldView | undefined> {
      const found = UUID.test(complaintId) ? await caseHoldById(db, complaintId) : undefined;
      return found && toCaseHoldView(found);
    },

    /** Whether the case is under legal hold; undefined when there is no such case. */
    async legalHold(complaintId: string): Promise<boolean | undefined> {
      if (!UUID.test(complaintId)) return undefined;
      return (await caseHoldById(db, complaintId))?.legal_hold;
    },

    /**
     * Sets or clears a case's legal hold (a held case is never purged); false when there is no
     * such case. The caller checks that the actor may do this (admins, on the retention page).
     */
    async setLegalHold(input: {
      actorId: string;
      complaintId: string;
      hold: boolean;
      /** Why, kept as an internal note on the case (free text stays out of the audit chain, R2). */
      reason: string;
      requestId?: string;
    }): Promise<boolean> {
      if (!UUID.test(input.complaintId)) return false;
      return db.transaction().execute(async (trx) => {
        if (!(await updateLegalHold(trx, input.complaintId, input.hold))) return false;
        const noteId = await insertNote(trx, {
          complaintId: input.complaintId,
          authorId: input.actorId,
          kind: 'note',
          body: input.reason,
        });
        await audit.record(trx, {
          type: 'complaint.legal_hold',
          actor: user(input.actorId),
          object: { type: 'complaint', id: input.complaintId },
          requestId: input.requestId,
          details: { hold: input.hold, noteId },
        });
        return true;
      });
    },
  };
}

/** The stored policy, each class falling back to its default when absent or out of range. */
function readPolicy(stored: unknown): RetentionYears {
  const source = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const policy = { ...DEFAULT_RETENTION };
  for (const key of RETENTION_CLASSES) {
    const value = source[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100) policy[key] = value;
  }
  return policy;
}

/** The policy as a short string, so a purge confirmed under one policy is not run under another. */
export function fingerprintOf(policy: RetentionYears): string {
  return RETENTION_CLASSES.map((key) => `${key}=${policy[key]}`).join(';');
}
