import { sql, type Kysely } from 'kysely';

// The sweep for files no row points to asks, name by name, whether a viewing copy is referenced.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('attachments_viewing_name')
    .on('attachments')
    .column('viewing_name')
    .where(sql.ref('viewing_name'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachments_viewing_name').execute();
}
