import { sql, type Kysely } from 'kysely';

// Community trust survey ballots become keyed hashes (#19 part 4, review). 0026 says the ballot
// and the answer have "no link between the two": they have one. Both are written in the answer's
// transaction, so in a copy of the database they share `xmin` (and sit in the same order on
// disk); a ballot was the plain sha256 of the token that the browser kept in its cookie for a
// year, so that browser and a copy of the database gave a person's answers and demographics.
//
// From now on the app stores HMAC(token) under a key of SURVEY_SECRET's ring (purpose
// 'trust-ballot'), and replaces the browser's token with a marker that says only "answered" as
// soon as it is spent: nothing a browser keeps leads to a ballot, and a token found anywhere else
// is of no use without the server's key. `token_hash` keeps its name and now holds that HMAC.
//
// The ballots stored before cannot be re-keyed (the token is not known here) and, as plain
// hashes of tokens still in browsers, are exactly the link to remove: they are deleted. The cost:
// a browser that answered an open wave before this migration may answer it once more. Autovacuum
// then reclaims the deleted rows. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from trust_ballots`.execute(db);
  await sql`comment on column trust_ballots.token_hash is
    'HMAC-SHA256 of the browser''s one-time token under a key of SURVEY_SECRET (purpose trust-ballot); never a plain hash'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  // The deleted ballots cannot come back; the HMACs stored since stay valid ballots.
  await sql`comment on column trust_ballots.token_hash is null`.execute(db);
}
