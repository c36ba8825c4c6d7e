import { sql, type Kysely } from 'kysely';

// The department's responses to recommendations and their implementation updates (migration 0028)
// refuse updates and deletes row by row; a TRUNCATE, which fires no row trigger, is refused too.
// Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create trigger recommendation_updates_not_truncated before truncate on recommendation_updates
              for each statement execute function recommendation_updates_never_edited()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger recommendation_updates_not_truncated on recommendation_updates`.execute(db);
}
