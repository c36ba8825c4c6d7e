import { sql, type Kysely } from 'kysely';

// A submission's idempotency key is bound to the body it came with (a keyed hash), and forgotten
// after a day; the receipt with its access code is shown once, and when it was is kept. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('complaints').addColumn('submission_hash', 'text').execute();
  await db.schema.alterTable('complaints').addColumn('receipt_shown_at', 'timestamptz').execute();
  // The sweeper finds the keys older than a day to forget without reading every complaint.
  await db.schema
    .createIndex('complaints_submission_keys')
    .on('complaints')
    .column('received_at')
    .where(sql.ref('submission_token'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_submission_keys').execute();
  await db.schema.alterTable('complaints').dropColumn('receipt_shown_at').execute();
  await db.schema.alterTable('complaints').dropColumn('submission_hash').execute();
}
