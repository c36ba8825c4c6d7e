import { sql, type Compilable, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type {
  AttachmentsTable,
  ComplainantsTable,
  ReportedOfficersTable,
  WitnessesTable,
} from '../../platform/db/schema.js';

/** The parts of a new complaint besides the complaint row itself, written in its transaction. */
export interface ComplaintParts {
  people: Omit<Insertable<ComplainantsTable>, 'complaint_id'>[];
  officers: Omit<Insertable<ReportedOfficersTable>, 'complaint_id'>[];
  witnesses: Omit<Insertable<WitnessesTable>, 'complaint_id'>[];
  categories: string[];
  attachments: Omit<Insertable<AttachmentsTable>, 'complaint_id'>[];
}

/**
 * Every part of a new complaint in one statement (#18 item 2: a round trip per table was most of a
 * filing's time): the people, officers, witnesses and allegations as common-table expressions of
 * the attachments' insert, whose ids it answers, in the order given.
 */
export async function insertComplaintParts(trx: Executor, complaintId: string, parts: ComplaintParts) {
  const withId = <T>(rows: T[]) => rows.map((row) => ({ ...row, complaint_id: complaintId }));
  const steps: Compilable[] = [];
  if (parts.people.length) steps.push(trx.insertInto('complainants').values(withId(parts.people)));
  if (parts.officers.length) steps.push(trx.insertInto('reported_officers').values(withId(parts.officers)));
  if (parts.witnesses.length) steps.push(trx.insertInto('witnesses').values(withId(parts.witnesses)));
  if (parts.categories.length) {
    steps.push(
      trx
        .insertInto('allegations')
        .values(parts.categories.map((category) => ({ complaint_id: complaintId, category }))),
    );
  }
  const last = parts.attachments.length
    ? trx.insertInto('attachments').values(withId(parts.attachments)).returning('id')
    : sql`select null::uuid as id where false`;
  if (steps.length === 0 && !parts.attachments.length) return [];
  const ctes = steps.length
    ? sql`with ${sql.join(steps.map((step, i) => sql`${sql.raw(`part_${i}`)} as (${step})`))} `
    : sql``;
  const { rows } = await sql<{ id: string }>`${ctes}${last}`.execute(trx);
  return rows.map((r) => r.id);
}

export async function insertAttachments(
  trx: Executor,
  complaintId: string,
  attachments: Omit<Insertable<AttachmentsTable>, 'complaint_id'>[],
): Promise<string[]> {
  if (attachments.length === 0) return [];
  const rows = await trx
    .insertInto('attachments')
    .values(attachments.map((a) => ({ ...a, complaint_id: complaintId })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The complaint filed with a submission key, by its keyed hash under any key of the ring. */
export async function complaintBySubmission(db: Executor, submissionTokens: readonly string[]) {
  return db
    .selectFrom('complaints')
    .select([
      'id',
      'tracking_number',
      'received_at',
      'language',
      'submission_hash',
      'receipt_shown_at',
      'access_code_hash',
    ])
    .where('submission_token', 'in', submissionTokens)
    .executeTakeFirst();
}

/**
 * Marks the receipt of a submission shown, if it was not yet and was filed after `filedAfter`; the
 * complaint when this call is the one that shows it. Two tabs asking at once: one gets it.
 */
export async function takeReceipt(db: Executor, submissionTokens: readonly string[], filedAfter: Date, now: Date) {
  return db
    .updateTable('complaints')
    .set({ receipt_shown_at: now })
    .where('submission_token', 'in', submissionTokens)
    .where('receipt_shown_at', 'is', null)
    .where('received_at', '>', filedAfter)
    .returning(['id', 'tracking_number', 'received_at', 'access_code_hash'])
    .executeTakeFirst();
}

/** The receipt of this browser's complaint, shown already but no earlier than `shownAfter`. */
export async function receiptShownSince(db: Executor, submissionTokens: readonly string[], shownAfter: Date) {
  return db
    .selectFrom('complaints')
    .select(['id', 'tracking_number', 'received_at', 'access_code_hash'])
    .where('submission_token', 'in', submissionTokens)
    .where('receipt_shown_at', '>', shownAfter)
    .executeTakeFirst();
}

/** Forgets submission keys (idempotency keys, draft secrets) of complaints filed before `before`. */
export async function forgetSubmissionKeys(
  db: Executor,
  before: Date,
  submissionTokens?: readonly string[],
): Promise<number> {
  let query = db
    .updateTable('complaints')
    .set({ submission_token: null })
    .where('submission_token', 'is not', null)
    .where('received_at', '<', before);
  if (submissionTokens !== undefined) query = query.where('submission_token', 'in', submissionTokens);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When the agency has promised to acknowledge a complaint: the due time of its clock. */
export async function acknowledgeDue(db: Executor, complaintId: string) {
  const row = await db
    .selectFrom('deadlines')
    .select('due_at')
    .where('complaint_id', '=', complaintId)
    .where('kind', '=', 'acknowledge')
    .executeTakeFirst();
  return row?.due_at;
}
