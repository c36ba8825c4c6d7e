import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import {
  auditRowCount,
  auditRowById,
  appendToChain,
  auditRowsAfter,
  chainHead,
  insertAuditRow,
  lockChain,
  type AuditRow,
} from './audit.repository.js';
import type { Executor } from '../db/executor.js';
import { GENESIS_HASH, auditBody, auditHash } from './audit.hash.js';

export type AuditActor = { type: 'user' | 'token'; id: string } | { type: 'public' } | { type: 'system' };

export interface AuditEntry {
  /** What happened, e.g. 'complaint.transition', 'auth.login'. */
  type: string;
  actor: AuditActor;
  outcome?: 'success' | 'failure';
  object?: { type: string; id: string };
  requestId?: string | undefined;
  /** Identifiers and codes only: never a password, token, access code or narrative (R2). */
  details?: Record<string, string | number | boolean | null | string[]>;
}

/** Keys that must never reach the audit log; a caller that passes one has a bug, so it fails loudly. */
const FORBIDDEN_DETAIL = /password|secret|token|access_?code|narrative|totp/i;

export interface Checkpoint {
  id: number;
  hash: string;
  count: number;
  at: string;
}

export type VerifyResult =
  { ok: true; count: number; head: string } | { ok: false; count: number; brokenAt: number | null; reason: string };

export type AuditService = ReturnType<typeof auditService>;

/** The hash of the last row each open transaction appended (shared by every instance of the service). */
const appendedIn = new WeakMap<Executor, string>();

/** The hash-chained audit log; the command-line tools use the system clock, the app its injected one. */
export function auditService(db: Db, now: Clock = systemClock) {
  return {
    /**
     * Appends an event inside the caller's transaction (R3): if the row cannot be written, the
     * action fails with it. Appends are serialised by an advisory lock held until commit (R4).
     */
    async record(trx: Executor, entry: AuditEntry): Promise<number> {
      const details = entry.details ?? {};
      const bad = Object.keys(details).find((key) => FORBIDDEN_DETAIL.test(key));
      if (bad) throw new Error(`audit details may not carry '${bad}'`);
      // The chain's lock is held until commit: after a transaction's first append, its own last row
      // is the head, so later appends in it need neither the lock again nor the read. (Nothing here
      // uses savepoints: a ROLLBACK TO SAVEPOINT after an append would leave this memory stale, so
      // code that adds one must forget the transaction's entry in `appendedIn` when it rolls back.)
      const fields = {
        occurredAt: now(),
        eventType: entry.type,
        actorType: entry.actor.type,
        actorId: 'id' in entry.actor ? entry.actor.id : null,
        outcome: entry.outcome ?? 'success',
        objectType: entry.object?.type ?? null,
        objectId: entry.object?.id ?? null,
        requestId: entry.requestId ?? null,
        details,
      };
      const row = {
        occurred_at: fields.occurredAt,
        event_type: fields.eventType,
        actor_type: fields.actorType,
        actor_id: fields.actorId,
        outcome: fields.outcome,
        object_type: fields.objectType,
        object_id: fields.objectId,
        request_id: fields.requestId,
        details: JSON.stringify(details),
      };
      const prevHash = appendedIn.get(trx);
      let appended: { id: number; hash: string };
      if (prevHash === undefined) {
        // The first append: the lock, then the head read and the row written in one statement.
        await lockChain(trx);
        appended = await appendToChain(trx, row, auditBody(fields), GENESIS_HASH);
      } else {
        const hash = auditHash(prevHash, fields);
        appended = { id: await insertAuditRow(trx, { ...row, prev_hash: prevHash, hash }), hash };
      }
      if (trx.isTransaction) appendedIn.set(trx, appended.hash);
      return appended.id;
    },

    /** Walks the whole chain; names the first row whose hash or link is wrong, or a cut tail. */
    async verify(checkpoint?: Checkpoint): Promise<VerifyResult> {
      let previous = GENESIS_HASH;
      let lastId = 0;
      let count = 0;
      for (;;) {
        const rows = await auditRowsAfter(db, lastId, 1000);
        for (const row of rows) {
          count++;
          const problem = checkRow(row, previous);
          if (problem) return { ok: false, count, brokenAt: row.id, reason: problem };
          previous = row.hash;
          lastId = row.id;
        }
        if (rows.length < 1000) break;
      }
      // A checkpoint of an empty chain (count 0) holds for any chain.
      if (checkpoint && checkpoint.count > 0) {
        const anchored = await auditRowById(db, checkpoint.id);
        if (!anchored || anchored.hash !== checkpoint.hash || count < checkpoint.count) {
          return {
            ok: false,
            count,
            brokenAt: anchored ? anchored.id : null,
            reason: `the chain no longer reaches the checkpoint of ${checkpoint.at} (${checkpoint.count} events)`,
          };
        }
      }
      return { ok: true, count, head: previous };
    },

    /** The chain's head, to keep elsewhere: a later verify against it detects a cut tail. */
    async checkpoint(): Promise<Checkpoint> {
      const head = await chainHead(db);
      const count = await auditRowCount(db);
      return { id: head?.id ?? 0, hash: head?.hash ?? GENESIS_HASH, count, at: now().toISOString() };
    },
  };
}

function checkRow(row: AuditRow, previous: string): string | undefined {
  if (row.prev_hash !== previous)
    return 'its link to the previous event is broken (a row before it was changed, removed or reordered)';
  const expected = auditHash(previous, {
    occurredAt: row.occurred_at,
    eventType: row.event_type,
    actorType: row.actor_type,
    actorId: row.actor_id,
    outcome: row.outcome,
    objectType: row.object_type,
    objectId: row.object_id,
    requestId: row.request_id,
    details: row.details,
  });
  return row.hash === expected ? undefined : 'its content does not match its hash (the row was changed)';
}
