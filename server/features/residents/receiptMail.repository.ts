import type { Executor } from '../../platform/db/executor.js';

/**
 * Who filed a complaint, as far as emailing its receipt goes: whether it is anonymous, the language
 * it was filed in, and each person's address and preferred language (the complainant first).
 */
export async function filingContacts(db: Executor, complaintId: string) {
  const complaint = await db
    .selectFrom('complaints')
    .select(['anonymous', 'language'])
    .where('id', '=', complaintId)
    .executeTakeFirst();
  if (!complaint) return undefined;
  const people = await db
    .selectFrom('complainants')
    .select(['role', 'email', 'preferred_language'])
    .where('complaint_id', '=', complaintId)
    .orderBy('role')
    .execute();
  return { ...complaint, people };
}
