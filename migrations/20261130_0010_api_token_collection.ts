import { sql, type Kysely } from 'kysely';

// A staff API token is authorised by an admin and collected by its holder: until then the row has
// no secret (token_hash null), and a collected token lasts 90 days from collection. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .alterColumn('token_hash', (c) => c.dropNotNull())
    .addColumn('collected_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .execute();
  // Tokens issued before this change already have a secret: they count as collected when issued,
  // and expire 90 days after that like any other.
  await sql`
    update api_tokens
       set collected_at = created_at, expires_at = created_at + interval '90 days'
     where token_hash is not null`.execute(db);
  // A token has a secret exactly when it was collected, and then an end.
  await db.schema
    .alterTable('api_tokens')
    .addCheckConstraint(
      'api_tokens_collected',
      sql`(token_hash is null) = (collected_at is null) and (collected_at is null) = (expires_at is null)`,
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // A token never collected has no secret, which the old table cannot hold: it goes.
  await sql`delete from api_tokens where token_hash is null`.execute(db);
  await db.schema.alterTable('api_tokens').dropConstraint('api_tokens_collected').execute();
  await db.schema
    .alterTable('api_tokens')
    .dropColumn('expires_at')
    .dropColumn('collected_at')
    .alterColumn('token_hash', (c) => c.setNotNull())
    .execute();
}
