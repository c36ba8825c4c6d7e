import type { Executor } from '../../platform/db/executor.js';

/** What a resident adds to their own case after opening it with the access code. */

export async function insertComplainantNote(trx: Executor, complaintId: string, body: string): Promise<void> {
  await trx.insertInto('notes').values({ complaint_id: complaintId, kind: 'complainant_update', body }).execute();
}

export async function contactPerson(db: Executor, complaintId: string) {
  const people = await db
    .selectFrom('complainants')
    .select(['id', 'role', 'email', 'phone', 'address', 'preferred_language', 'preferred_contact'])
    .where('complaint_id', '=', complaintId)
    .execute();
  // Whoever filed is the one we write to when someone filed for another person.
  return people.find((p) => p.role === 'filer') ?? people.find((p) => p.role === 'complainant');
}

export async function updateContactPerson(
  trx: Executor,
  personId: string,
  contact: {
    email: string | null;
    phone: string | null;
    address: string | null;
    preferred_language: 'en' | 'es';
    preferred_contact: 'email' | 'phone' | 'mail' | 'none';
  },
): Promise<void> {
  await trx.updateTable('complainants').set(contact).where('id', '=', personId).execute();
}

export async function attachmentCount(db: Executor, complaintId: string): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('complaint_id', '=', complaintId)
    .where('source', '=', 'complainant')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
