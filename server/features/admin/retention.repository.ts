import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

/** How records are classed for retention: the outcome, or 'sustained' when any finding was sustained. */
export const RETENTION_CLASSES = ['referred', 'dismissed', 'mediated', 'withdrawn', 'decided', 'sustained'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];
export type RetentionYears = Record<RetentionClass, number>;

const SUSTAINED = sql<boolean>`exists (select 1 from allegations ra where ra.complaint_id = c.id and ra.finding = 'sustained')`;

/** The retention class of `complaints as c`; a closed case without an outcome is kept as long as any. */
const classOf = sql<RetentionClass | null>`(case when ${SUSTAINED} then 'sustained' else c.outcome end)`;

function yearsOf(policy: RetentionYears): RawBuilder<number> {
  const longest = Math.max(...Object.values(policy));
  const byOutcome = (['referred', 'dismissed', 'mediated', 'withdrawn', 'decided'] as const).map(
    (outcome) => sql`when c.outcome = ${outcome} then ${policy[outcome]}::int`,
  );
  return sql<number>`(case when ${SUSTAINED} then ${policy.sustained}::int ${sql.join(byOutcome, sql` `)} else ${longest}::int end)`;
}

/** When a closed case's retention ends: closed_at plus the policy's years for its class. */
const expiresAt = (policy: RetentionYears) => sql<Date>`(c.closed_at + make_interval(years => ${yearsOf(policy)}))`;

/** Closed cases whose retention ended before `asOf`. */
const pastRetention = (policy: RetentionYears, asOf: Date) =>
  sql<boolean>`(c.closed_at is not null and ${expiresAt(policy)} < ${asOf})`;

export interface RetentionCandidate {
  id: string;
  tracking_number: string;
  outcome: string | null;
  retention_class: RetentionClass | null;
  closed_at: Date;
  expires_at: Date;
}

/** Cases past retention, held or not, oldest expiry first. */
export async function casesPastRetention(
  db: Executor,
  policy: RetentionYears,
  asOf: Date,
  options: { held: boolean; limit: number; offset: number },
): Promise<RetentionCandidate[]> {
  const rows = await db
    .selectFrom('complaints as c')
    .select(['c.id', 'c.tracking_number', 'c.outcome'])
    .select([classOf.as('retention_class'), sql<Date>`c.closed_at`.as('closed_at'), expiresAt(policy).as('expires_at')])
    .where(pastRetention(policy, asOf))
    .where('c.legal_hold', '=', options.held)
    .orderBy('expires_at')
    .orderBy('c.id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map((row) => ({ ...row, expires_at: new Date(row.expires_at), closed_at: new Date(row.closed_at) }));
}

export async function countPastRetention(db: Executor, policy: RetentionYears, asOf: Date) {
  const row = await db
    .selectFrom('complaints as c')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('c.legal_hold', '=', false).as('purgeable'),
      eb.fn.countAll<number>().filterWhere('c.legal_hold', '=', true).as('held'),
    ])
    .where(pastRetention(policy, asOf))
    .executeTakeFirstOrThrow();
  return { purgeable: Number(row.purgeable), held: Number(row.held) };
}

/**
 * Locks up to `limit` cases that are past retention and not held, for deletion in the caller's
 * transaction. FOR UPDATE re-reads each row's current version, so a hold set since the caller
 * looked excludes the case (R5).
 */
export async function lockPurgeable(trx: Executor, policy: RetentionYears, asOf: Date, limit: number) {
  const rows = await trx
    .selectFrom('complaints as c')
    .select(['c.id', 'c.tracking_number', 'c.outcome', sql<Date>`c.closed_at`.as('closed_at')])
    .where(pastRetention(policy, asOf))
    .where('c.legal_hold', '=', false)
    .orderBy('c.id')
    .limit(limit)
    .forUpdate()
    .execute();
  return rows.map((row) => ({ ...row, closed_at: new Date(row.closed_at) }));
}

/** The stored evidence files of these cases (originals and viewing copies). */
export async function evidenceFilesOf(db: Executor, complaintIds: string[]): Promise<string[]> {
  if (complaintIds.length === 0) return [];
  const rows = await db
    .selectFrom('attachments')
    .select(['stored_name', 'viewing_name'])
    .where('complaint_id', 'in', complaintIds)
    .execute();
  return rows.flatMap((row) => (row.viewing_name ? [row.stored_name, row.viewing_name] : [row.stored_name]));
}

/**
 * Deletes the messages about these cases (they hold the complainant's address): the outbox has no
 * foreign key to a case, only its tracking number in the message's data.
 */
export async function deleteMessagesAbout(trx: Executor, trackingNumbers: string[]): Promise<void> {
  if (trackingNumbers.length === 0) return;
  await trx
    .deleteFrom('outbox')
    .where(sql<string>`data->>'trackingNumber'`, 'in', trackingNumbers)
    .execute();
}

/** Deletes the cases; every table that refers to a complaint cascades (see migrations/). */
export async function deleteComplaints(trx: Executor, complaintIds: string[]): Promise<void> {
  if (complaintIds.length === 0) return;
  await trx.deleteFrom('complaints').where('id', 'in', complaintIds).execute();
}

export async function caseHoldByTrackingNumber(db: Executor, trackingNumber: string) {
  return db
    .selectFrom('complaints as c')
    .select(['c.id', 'c.tracking_number', 'c.stage', 'c.outcome', 'c.closed_at', 'c.legal_hold'])
    .where('c.tracking_number', '=', trackingNumber)
    .executeTakeFirst();
}

export async function caseHoldById(db: Executor, id: string) {
  return db
    .selectFrom('complaints as c')
    .select(['c.id', 'c.tracking_number', 'c.stage', 'c.outcome', 'c.closed_at', 'c.legal_hold'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** Sets or clears the hold; false when there is no such case. */
export async function updateLegalHold(trx: Executor, id: string, hold: boolean): Promise<boolean> {
  const result = await trx.updateTable('complaints').set({ legal_hold: hold }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
