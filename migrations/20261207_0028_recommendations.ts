import { sql, type Kysely } from 'kysely';

// Policy recommendations (#19 part 3): drafted by staff in each language the agency offers, put on
// a board meeting's agenda as an item of their own kind, voted with quorum and recusal, and, once
// adopted, sent to the department, whose response and the later implementation updates are dated
// entries never edited. The cases that prompted one are linked internally only. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence recommendation_numbers`.execute(db);
  await sql`create table recommendations (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      title_en text not null check (char_length(title_en) between 1 and 200),
      title_es text not null check (char_length(title_es) between 1 and 200),
      body_en text not null check (char_length(body_en) between 1 and 10000),
      body_es text not null check (char_length(body_es) between 1 and 10000),
      basis_en text not null check (char_length(basis_en) between 1 and 2000),
      basis_es text not null check (char_length(basis_es) between 1 and 2000),
      status text not null default 'draft' check (status in ('draft', 'adopted', 'not_adopted')),
      adopted_at timestamptz,
      response_due_at timestamptz,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'adopted') = (adopted_at is not null))
    )`.execute(db);
  await sql`create index recommendations_adopted on recommendations (adopted_at desc) where status = 'adopted'`.execute(
    db,
  );
  await sql`create table recommendation_cases (
      recommendation_id uuid not null references recommendations (id) on delete cascade,
      complaint_id uuid not null references complaints (id) on delete cascade,
      primary key (recommendation_id, complaint_id)
    )`.execute(db);
  await sql`create table recommendation_items (
      id uuid primary key default gen_random_uuid(),
      recommendation_id uuid not null references recommendations (id),
      meeting_id uuid not null references board_meetings (id) on delete cascade,
      outcome text check (outcome in ('adopted', 'not_adopted', 'no_quorum')),
      votes_for int,
      votes_against int,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      unique (meeting_id, recommendation_id)
    )`.execute(db);
  // A recommendation waits on one agenda at a time.
  await sql`create unique index recommendation_items_one_open on recommendation_items (recommendation_id)
              where outcome is null`.execute(db);
  await sql`create table recommendation_votes (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references recommendation_items (id) on delete cascade,
      member_id uuid not null references users (id),
      choice text not null check (choice in ('adopt', 'reject', 'recused')),
      reason text check (char_length(reason) between 1 and 2000),
      cast_at timestamptz not null default now(),
      unique (item_id, member_id),
      check ((choice = 'recused') = (reason is not null))
    )`.execute(db);
  await sql`create table recommendation_updates (
      id uuid primary key default gen_random_uuid(),
      recommendation_id uuid not null references recommendations (id),
      kind text not null check (kind in ('response', 'implementation')),
      status text not null check (
        (kind = 'response' and status in ('accepted', 'partially_accepted', 'rejected', 'under_study')) or
        (kind = 'implementation' and status in ('in_progress', 'implemented', 'not_implemented'))),
      body text not null check (char_length(body) between 1 and 5000),
      occurred_on date not null,
      recorded_by uuid references users (id),
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index recommendation_updates_of on recommendation_updates (recommendation_id, occurred_on, recorded_at)`.execute(
    db,
  );
  // The department's response and the implementation are a history: entries are added, never changed.
  await sql`create function recommendation_updates_never_edited() returns trigger language plpgsql as $$
      begin raise exception 'a recommendation update is never edited: record a new entry'; end $$`.execute(db);
  await sql`create trigger recommendation_updates_never_edited before update or delete on recommendation_updates
              for each row execute function recommendation_updates_never_edited()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'recommendation_updates',
    'recommendation_votes',
    'recommendation_items',
    'recommendation_cases',
    'recommendations',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop function recommendation_updates_never_edited()`.execute(db);
  await sql`drop sequence recommendation_numbers`.execute(db);
}
