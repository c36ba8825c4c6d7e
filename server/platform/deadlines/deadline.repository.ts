import { sql, type Insertable, type Selectable } from 'kysely';
import { assigneeContacts, supervisorContacts } from '../workflow/complaint.repository.js';
import type { Executor } from '../db/executor.js';
import type { DeadlinesTable } from '../db/schema.js';

export type DeadlineRow = Selectable<DeadlinesTable>;
const RUNNING = ['open', 'warned', 'breached'] as const;

export async function insertDeadline(trx: Executor, row: Insertable<DeadlinesTable>): Promise<void> {
  await trx.insertInto('deadlines').values(row).execute();
}

export async function runningDeadlines(trx: Executor, complaintId: string, kind?: string): Promise<DeadlineRow[]> {
  let query = trx
    .selectFrom('deadlines')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .where('status', 'in', RUNNING)
    .where('completed_at', 'is', null);
  if (kind) query = query.where('kind', '=', kind);
  return query.execute();
}

export async function updateDeadline(
  trx: Executor,
  id: string,
  changes: Partial<
    Pick<
      DeadlineRow,
      'status' | 'due_at' | 'warn_at' | 'tolled_at' | 'tolled_reason' | 'next_check_at' | 'completed_at'
    >
  >,
): Promise<void> {
  await trx.updateTable('deadlines').set(changes).where('id', '=', id).execute();
}

/**
 * The rows whose next check has come, locked for this sweeper; other instances skip them. Reads
 * only the partial index on next_check_at, so its cost follows the due rows, not the open cases.
 */
export async function claimDueDeadlines(trx: Executor, now: Date, limit: number): Promise<DeadlineRow[]> {
  const { rows } = await sql<DeadlineRow>`
    select * from deadlines
     where next_check_at is not null and next_check_at <= ${now}
     order by next_check_at
     limit ${limit}
     for update skip locked`.execute(trx);
  return rows;
}

/** Who hears about a case's deadlines: its investigator(s), and for breaches every supervisor. */
export async function caseWatchers(trx: Executor, complaintId: string) {
  const complaint = await trx
    .selectFrom('complaints')
    .select('tracking_number')
    .where('id', '=', complaintId)
    .executeTakeFirstOrThrow();
  const assignees = await assigneeContacts(trx, complaintId);
  const supervisors = await supervisorContacts(trx);
  return {
    trackingNumber: complaint.tracking_number,
    recipients: [
      ...assignees.map((u) => ({ ...u, supervisor: false })),
      ...supervisors.map((u) => ({ ...u, supervisor: true })),
    ],
  };
}

export async function policyOverrides(db: Executor) {
  return db.selectFrom('deadline_policies').selectAll().execute();
}

export async function adminHolidays(db: Executor): Promise<string[]> {
  return (await db.selectFrom('holidays').select('day').execute()).map((h) => h.day);
}

/**
 * A kind's stored policy, locked until commit. A kind without a row yet has nothing to lock, so
 * two first changes are serialised by a lock on the kind's name instead.
 */
export async function policyRowForUpdate(trx: Executor, kind: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`deadline_policy:${kind}`}))`.execute(trx);
  return trx.selectFrom('deadline_policies').selectAll().where('kind', '=', kind).forUpdate().executeTakeFirst();
}

/** Stores an admin's policy for a kind; clocks started from now on use it, running ones keep their dates. */
export async function savePolicy(
  trx: Executor,
  row: {
    kind: string;
    amount: number;
    unit: 'business_days' | 'calendar_days' | 'months';
    warn_before_days: number;
    statutory: boolean;
    updated_at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('deadline_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('kind').doUpdateSet({
        amount: row.amount,
        unit: row.unit,
        warn_before_days: row.warn_before_days,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
