import { sql, type Kysely } from 'kysely';

// Early intervention lists each flagged officer's newest allegations and counts those behind the
// flags (#18): an index of each officer's allegations by day received, holding what the window
// conditions read, serves both from the index. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  await sql`create index allegations_officer_received on allegations (officer_id, received_on desc)
              include (complaint_id, category, finding, decided_at) where officer_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('allegations_officer_received').execute();
}
