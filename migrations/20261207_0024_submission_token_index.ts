import { sql, type Kysely } from 'kysely';

// A filing looks its submission key up before anything else (#18). Two indexes could answer it:
// the unique index on the key, and 0013's partial index of filing times over the complaints that
// still hold a key. The statistics of a large table see almost no keys (they are forgotten after
// a day), so the planner took the partial index as the smaller one and read every key filed that
// day to find one: 31 ms a filing on the bench's busy day at a million complaints, where the
// unique index takes a tenth of a millisecond. One index does both now: unique on the key, over
// the complaints that hold one, with the filing time for the sweeper that forgets old keys (it
// reads the day's keys, never every complaint). Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index complaints_submission_keys`.execute(db);
  await sql`alter table complaints drop constraint complaints_submission_token_key`.execute(db);
  await sql`create unique index complaints_submission_token on complaints (submission_token) include (received_at)
              where submission_token is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index complaints_submission_token`.execute(db);
  await sql`alter table complaints add constraint complaints_submission_token_key unique (submission_token)`.execute(
    db,
  );
  await sql`create index complaints_submission_keys on complaints (received_at) where submission_token is not null`.execute(
    db,
  );
}
