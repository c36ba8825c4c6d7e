import { rolesWith, type Permission } from '../../domain/policy.js';
import type { Insertable } from 'kysely';
import type { Executor } from '../db/executor.js';
import { contactAmong } from './contact.js';
import { sql } from 'kysely';
import type { ComplaintsTable, PublicHistoryEntry, Stage } from '../db/schema.js';

/** What a new complaint is created with, before the workflow adds its state. */
export type NewComplaint = Omit<
  Insertable<ComplaintsTable>,
  'snapshot' | 'machine_version' | 'stage' | 'state' | 'public_history'
>;

export async function insertComplaint(trx: Executor, row: Insertable<ComplaintsTable>): Promise<string> {
  const { id } = await trx.insertInto('complaints').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function complaintForTransition(trx: Executor, id: string) {
  return trx
    .selectFrom('complaints')
    .select(['id', 'tracking_number', 'snapshot', 'machine_version', 'version', 'stage', 'state', 'language'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Writes the new snapshot only if nobody else has since the caller read `loadedVersion`. */
export async function saveSnapshot(
  trx: Executor,
  id: string,
  loadedVersion: number,
  next: {
    snapshot: unknown;
    machineVersion: number;
    stage: Stage;
    state: string;
    outcome: ComplaintsTable['outcome'];
    at: Date;
    stageChanged: boolean;
    /** A public stage newly reached, appended to the history residents see. */
    reached?: PublicHistoryEntry | undefined;
  },
): Promise<boolean> {
  const result = await trx
    .updateTable('complaints')
    .set((eb) => ({
      snapshot: JSON.stringify(next.snapshot),
      machine_version: next.machineVersion,
      version: eb('version', '+', 1),
      stage: next.stage,
      state: next.state,
      outcome: next.outcome,
      updated_at: next.at,
      closed_at: next.stage === 'closed' ? next.at : null,
      ...(next.stageChanged ? { stage_changed_at: next.at } : {}),
      ...(next.reached
        ? { public_history: sql<string>`public_history || ${JSON.stringify([next.reached])}::jsonb` }
        : {}),
    }))
    .where('id', '=', id)
    .where('version', '=', loadedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Where to tell the complainant: the complainant's own contact, else the person who filed for them. */
export async function complainantContact(trx: Executor, complaintId: string) {
  const people = await trx
    .selectFrom('complainants')
    .select(['role', 'email', 'preferred_language'])
    .where('complaint_id', '=', complaintId)
    .where('email', 'is not', null)
    .execute();
  return contactAmong(people);
}

/** The current investigator(s) of a case, still able to sign in. */
export async function assigneeContacts(trx: Executor, complaintId: string) {
  return trx
    .selectFrom('assignments')
    .innerJoin('users', 'users.id', 'assignments.user_id')
    .select(['users.email', 'users.language'])
    .where('assignments.complaint_id', '=', complaintId)
    .where('assignments.ended_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .execute();
}

export async function userContacts(trx: Executor, userIds: string[]) {
  if (userIds.length === 0) return [];
  return trx
    .selectFrom('users')
    .select(['email', 'language'])
    .where('id', 'in', userIds)
    .where('disabled_at', 'is', null)
    .execute();
}

export async function supervisorContacts(trx: Executor) {
  return contactsWithPermission(trx, 'deadlines.escalations');
}

/** Everyone active whom the access policy gives this permission, to write to. */
export async function contactsWithPermission(trx: Executor, permission: Permission) {
  return trx
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.email', 'users.language'])
    .distinct()
    .where('user_roles.role', 'in', rolesWith(permission))
    .where('users.disabled_at', 'is', null)
    .execute();
}

/** The final finding of each allegation with its category's name in both languages (the decision letter). */
export async function decidedFindings(trx: Executor, complaintId: string) {
  return trx
    .selectFrom('allegations as a')
    .leftJoin('allegation_categories as k', 'k.code', 'a.category')
    .select(['a.category', 'a.finding', 'k.name_en', 'k.name_es'])
    .where('a.complaint_id', '=', complaintId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}
