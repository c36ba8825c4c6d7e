import type { Executor } from '../../platform/db/executor.js';

/** Complaint forms in progress, keyed by the hash of the resident's draft secret. */

export async function insertDraft(db: Executor, idHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('complaint_drafts').values({ id_hash: idHash, data: '{}', expires_at: expiresAt }).execute();
}

export async function draftData(db: Executor, idHash: string, now: Date): Promise<unknown> {
  const row = await db
    .selectFrom('complaint_drafts')
    .select('data')
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.data;
}

/** The draft's data, its row locked until the transaction ends, so changes to one draft queue up. */
export async function draftDataForUpdate(trx: Executor, idHash: string, now: Date): Promise<unknown> {
  const row = await trx
    .selectFrom('complaint_drafts')
    .select('data')
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  return row?.data;
}

export async function saveDraftData(db: Executor, idHash: string, data: unknown, now: Date, expiresAt: Date) {
  const result = await db
    .updateTable('complaint_drafts')
    .set({ data: JSON.stringify(data), updated_at: now, expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function deleteDraft(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('complaint_drafts').where('id_hash', '=', idHash).execute();
}

/** Removes up to `limit` expired drafts and returns their data, so their files can go too. */
export async function takeExpiredDrafts(db: Executor, now: Date, limit: number): Promise<unknown[]> {
  const rows = await db
    .deleteFrom('complaint_drafts')
    .where('id_hash', 'in', (eb) =>
      eb.selectFrom('complaint_drafts').select('id_hash').where('expires_at', '<=', now).limit(limit),
    )
    .returning('data')
    .execute();
  return rows.map((r) => r.data);
}
