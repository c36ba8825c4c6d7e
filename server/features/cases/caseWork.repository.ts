import { rolesWith } from '../../domain/policy.js';
import type { Executor } from '../../platform/db/executor.js';
import type { Finding } from '../../platform/db/schema.js';

export async function insertNote(
  db: Executor,
  note: {
    complaintId: string;
    authorId: string | null;
    kind: 'note' | 'interview' | 'complainant_update';
    body: string;
  },
): Promise<string> {
  const row = await db
    .insertInto('notes')
    .values({ complaint_id: note.complaintId, author_id: note.authorId, kind: note.kind, body: note.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function categoryExists(db: Executor, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('allegation_categories')
    .select('code')
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

export async function officerExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('officers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export interface AllegationValues {
  category: string;
  officerId: string | null;
  officerDescription: string | null;
  summary: string | null;
}

const columns = (v: AllegationValues) => ({
  category: v.category,
  officer_id: v.officerId,
  officer_description: v.officerDescription,
  summary: v.summary,
});

export async function insertAllegation(db: Executor, complaintId: string, values: AllegationValues): Promise<string> {
  const row = await db
    .insertInto('allegations')
    .values({ complaint_id: complaintId, ...columns(values) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates an allegation of this case; false when the case has no such allegation. */
export async function updateAllegation(
  db: Executor,
  complaintId: string,
  allegationId: string,
  values: AllegationValues,
): Promise<boolean> {
  const result = await db
    .updateTable('allegations')
    .set(columns(values))
    .where('id', '=', allegationId)
    .where('complaint_id', '=', complaintId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function allegationIdsOf(db: Executor, complaintId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('allegations')
    .select('id')
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A draft per allegation; a blank finding or reason is kept blank (a partial draft, #17 item 9). */
export async function saveDraftFindings(
  db: Executor,
  complaintId: string,
  drafts: Array<{ id: string; finding: Finding | null; rationale: string | null }>,
): Promise<void> {
  for (const d of drafts) {
    await db
      .updateTable('allegations')
      .set({ draft_finding: d.finding, draft_rationale: d.rationale })
      .where('id', '=', d.id)
      .where('complaint_id', '=', complaintId)
      .execute();
  }
}

/** The allegations' drafts, in the order the case page lists them. */
export async function draftFindingsOf(db: Executor, complaintId: string) {
  return db
    .selectFrom('allegations')
    .select(['id', 'draft_finding', 'draft_rationale'])
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The case's workflow state, its row locked until the transaction ends: nobody moves it meanwhile. */
export async function lockedStateOf(db: Executor, complaintId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('complaints')
    .select('state')
    .where('id', '=', complaintId)
    .forUpdate()
    .executeTakeFirst();
  return row?.state;
}

/** Ends the current assignment (if any) and gives the case to this investigator. */
export async function reassign(db: Executor, complaintId: string, investigatorId: string, by: string): Promise<void> {
  await db
    .updateTable('assignments')
    .set({ ended_at: new Date() })
    .where('complaint_id', '=', complaintId)
    .where('ended_at', 'is', null)
    .execute();
  await db
    .insertInto('assignments')
    .values({ complaint_id: complaintId, user_id: investigatorId, assigned_by: by })
    .execute();
}

/** Whether this user may be given cases: active, with the investigator role. */
export async function isAssignableInvestigator(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('u.id', '=', userId)
    .where('r.role', 'in', rolesWith('cases.investigate'))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
