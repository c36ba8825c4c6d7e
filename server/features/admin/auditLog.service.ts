import { DateTime } from 'luxon';
import {
  auditEventTypes,
  auditLogRows,
  complaintIdByTrackingNumber,
  type AuditLogDbRow,
  type AuditLogFilter,
} from './auditLog.repository.js';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import { userByEmail } from '../accounts/user.repository.js';
import type { AuditFilterQuery } from './auditLog.schemas.js';
import type { AuditService, VerifyResult } from '../../platform/audit/audit.service.js';
import { normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';

export const AUDIT_PAGE_SIZE = 100;
export const AUDIT_EXPORT_CAP = 50_000;

export interface AuditLogRow {
  id: number;
  at: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  outcome: string;
  objectType: string | null;
  objectId: string | null;
  /** The case to link to, when the object is a complaint. */
  caseId: string | null;
  requestId: string | null;
  /** `key=value` pairs, control characters escaped (R6). */
  details: string[];
  prevHash: string;
  hash: string;
}

/** A filter that names something not there: which field, for the form's error. */
export type ResolvedFilter = { ok: true; filter: AuditLogFilter } | { ok: false; field: 'actor' | 'object' };

const TRACKING = /^OC-?[0-9A-Z]{4}-?[0-9A-Z]{4}$/i;

export type AuditLogService = ReturnType<typeof auditLogService>;

/** The audit log as admins read it (R1: every view, export and verification is itself audited). */
export function auditLogService(deps: { db: Db; audit: AuditService; timeZone: string }) {
  const { db, audit } = deps;

  /** Reads rows inside a transaction that records the read, so a read that cannot be audited fails (R3). */
  const auditedRead = async <T>(
    type: string,
    actorId: string,
    filter: AuditLogFilter,
    requestId: string,
    read: (trx: Executor) => Promise<T>,
  ) =>
    db.transaction().execute(async (trx) => {
      await audit.record(trx, {
        type,
        actor: { type: 'user', id: actorId },
        requestId,
        details: filterDetails(filter),
      });
      return read(trx);
    });

  return {
    eventTypes: () => auditEventTypes(db),

    /** The query's names (an email, a tracking number) as ids, and its days as instants in the agency's zone. */
    async resolve(query: AuditFilterQuery): Promise<ResolvedFilter> {
      const filter: AuditLogFilter = {};
      if (query.type) filter.eventType = query.type;
      if (query.outcome) filter.outcome = query.outcome;
      if (query.actor) {
        const user = await userByEmail(db, query.actor);
        if (!user) return { ok: false, field: 'actor' };
        filter.actorId = user.id;
      }
      if (query.object) {
        if (TRACKING.test(query.object)) {
          const id = await complaintIdByTrackingNumber(db, normaliseTrackingNumber(query.object));
          if (!id) return { ok: false, field: 'object' };
          filter.objectType = 'complaint';
          filter.objectId = id;
        } else {
          filter.objectId = UUID.test(query.object) ? query.object.toLowerCase() : query.object;
        }
      }
      const day = (iso: string) => DateTime.fromISO(iso, { zone: deps.timeZone }).startOf('day');
      if (query.from) filter.from = day(query.from).toJSDate();
      if (query.to) filter.until = day(query.to).plus({ days: 1 }).toJSDate();
      if (query.before) filter.beforeId = Number(query.before);
      return { ok: true, filter };
    },

    /** One page, newest first, and the cursor of the next (older) page if there is one. */
    async page(actorId: string, filter: AuditLogFilter, requestId: string) {
      const rows = await auditedRead('audit.view', actorId, filter, requestId, (trx) =>
        auditLogRows(trx, filter, AUDIT_PAGE_SIZE + 1),
      );
      const shown = rows.slice(0, AUDIT_PAGE_SIZE).map(toRow);
      return { rows: shown, olderThan: rows.length > AUDIT_PAGE_SIZE ? shown[shown.length - 1]!.id : null };
    },

    /**
     * Up to AUDIT_EXPORT_CAP rows for a CSV file, newest first. Read before the export is recorded,
     * so the chain's lock is not held for the whole read; if the record fails, nothing is sent.
     */
    async exportRows(actorId: string, filter: AuditLogFilter, requestId: string): Promise<AuditLogRow[]> {
      const out: AuditLogRow[] = [];
      let cursor = filter.beforeId;
      while (out.length < AUDIT_EXPORT_CAP) {
        const size = Math.min(5000, AUDIT_EXPORT_CAP - out.length);
        const batch = await auditLogRows(db, { ...filter, beforeId: cursor }, size);
        out.push(...batch.map(toRow));
        if (batch.length < size) break;
        cursor = batch[batch.length - 1]!.id;
      }
      await db.transaction().execute((trx) =>
        audit.record(trx, {
          type: 'audit.export',
          actor: { type: 'user', id: actorId },
          requestId,
          details: { ...filterDetails(filter), rows: out.length },
        }),
      );
      return out;
    },

    /** Walks the whole chain (R4) and records that it was checked, with the answer. */
    async verify(actorId: string, requestId: string): Promise<VerifyResult> {
      const result = await audit.verify();
      await db.transaction().execute((trx) =>
        audit.record(trx, {
          type: 'audit.verify',
          actor: { type: 'user', id: actorId },
          requestId,
          outcome: result.ok ? 'success' : 'failure',
          details: { intact: result.ok, count: result.count, brokenAt: result.ok ? null : result.brokenAt },
        }),
      );
      return result;
    },
  };
}

/** The filters in force, as audit details (ids and codes only); an unfiltered view has none. */
function filterDetails(filter: AuditLogFilter): Record<string, string | number> {
  const details: Record<string, string | number | undefined> = {
    eventType: filter.eventType,
    actorId: filter.actorId,
    objectType: filter.objectType,
    objectId: filter.objectId,
    outcome: filter.outcome,
    from: filter.from?.toISOString(),
    until: filter.until?.toISOString(),
    beforeId: filter.beforeId,
  };
  return Object.fromEntries(
    Object.entries(details).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
  );
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Control characters and line breaks shown as escapes, so one value cannot fake another row (R6). */
export function escapeControls(value: string): string {
  return value.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function detailValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(detailValue).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toRow(row: AuditLogDbRow): AuditLogRow {
  const objectId = row.object_id;
  return {
    id: row.id,
    at: row.occurred_at,
    type: row.event_type,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    outcome: row.outcome,
    objectType: row.object_type,
    objectId,
    caseId: row.object_type === 'complaint' && objectId && UUID.test(objectId) ? objectId : null,
    requestId: row.request_id,
    details: Object.entries(row.details ?? {}).map(([k, v]) => escapeControls(`${k}=${detailValue(v)}`)),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
