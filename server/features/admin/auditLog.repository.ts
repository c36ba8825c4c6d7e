import type { Executor } from '../../platform/db/executor.js';
import type { AuditEventsTable } from '../../platform/db/schema.js';

/** What the audit log viewer filters on; every part is optional. */
export interface AuditLogFilter {
  eventType?: string | undefined;
  actorId?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  outcome?: AuditEventsTable['outcome'] | undefined;
  /** Inclusive. */
  from?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  /** Keyset cursor: only rows with a smaller id (older). */
  beforeId?: number | undefined;
}

/** The event types present in the log, for the filter's list. */
export async function auditEventTypes(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('event_type').distinct().orderBy('event_type').execute();
  return rows.map((row) => row.event_type);
}

/** Rows matching the filter, newest first, with the acting user's name where there is one. */
export async function auditLogRows(db: Executor, filter: AuditLogFilter, limit: number) {
  let query = db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.occurred_at',
      'a.event_type',
      'a.actor_type',
      'a.actor_id',
      'a.outcome',
      'a.object_type',
      'a.object_id',
      'a.request_id',
      'a.details',
      'a.prev_hash',
      'a.hash',
      'u.display_name as actor_name',
    ]);
  if (filter.eventType) query = query.where('a.event_type', '=', filter.eventType);
  if (filter.actorId) query = query.where('a.actor_id', '=', filter.actorId);
  if (filter.objectType) query = query.where('a.object_type', '=', filter.objectType);
  if (filter.objectId) query = query.where('a.object_id', '=', filter.objectId);
  if (filter.outcome) query = query.where('a.outcome', '=', filter.outcome);
  if (filter.from) query = query.where('a.occurred_at', '>=', filter.from);
  if (filter.until) query = query.where('a.occurred_at', '<', filter.until);
  if (filter.beforeId) query = query.where('a.id', '<', filter.beforeId);
  return query.orderBy('a.id', 'desc').limit(limit).execute();
}

export type AuditLogDbRow = Awaited<ReturnType<typeof auditLogRows>>[number];

export async function complaintIdByTrackingNumber(db: Executor, trackingNumber: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('complaints')
    .select('id')
    .where('tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  return row?.id;
}
