import { sql, type Kysely } from 'kysely';

// Community trust surveys (#19 part 4): an admin opens a wave (dates, items from the standard
// bank, whether to ask demographics); anyone may answer once per wave. Kept apart on purpose:
// `trust_ballots` holds only the hash of a browser's one-time token, `trust_answers` the
// anonymous answers (no address, no user agent, the day only), with no link between the two.
// `trust_results` is the wave's running rollup (answers and score sums per district and item;
// item '' counts respondents), written in the answer's transaction, so the dashboard reads a
// few rows per wave and never the answers. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table trust_waves (
      id uuid primary key default gen_random_uuid(),
      opens_on date not null,
      closes_on date not null,
      items text[] not null check (cardinality(items) between 1 and 30),
      asks_demographics boolean not null default false,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      check (closes_on >= opens_on)
    )`.execute(db);
  await sql`create index trust_waves_closes_on on trust_waves (closes_on)`.execute(db);
  await sql`create table trust_ballots (
      wave_id uuid not null references trust_waves(id),
      token_hash text not null check (length(token_hash) <= 128),
      primary key (wave_id, token_hash)
    )`.execute(db);
  await sql`create table trust_answers (
      id uuid primary key default gen_random_uuid(),
      wave_id uuid not null references trust_waves(id),
      answered_on date not null,
      district text check (length(district) <= 40),
      scores jsonb not null,
      age_range text check (length(age_range) <= 40),
      gender text check (length(gender) <= 40),
      race text check (length(race) <= 40)
    )`.execute(db);
  await sql`create index trust_answers_wave on trust_answers (wave_id)`.execute(db);
  await sql`create table trust_results (
      wave_id uuid not null references trust_waves(id),
      district text not null,
      item text not null,
      answers int not null check (answers >= 0),
      score_sum int not null check (score_sum >= 0),
      primary key (wave_id, district, item)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table trust_results`.execute(db);
  await sql`drop table trust_answers`.execute(db);
  await sql`drop table trust_ballots`.execute(db);
  await sql`drop table trust_waves`.execute(db);
}
