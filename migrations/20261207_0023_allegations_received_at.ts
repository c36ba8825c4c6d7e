import { sql, type Kysely } from 'kysely';

// Early intervention's case lists (#18): each flagged officer's newest allegations were found by
// their complaint's received day and then sorted by the complaint's exact time, which meant
// looking up every complaint of that day: on a day with thousands of filings, a quarter of a
// second a page. The allegation now carries its complaint's received time too (set with the
// received day, by the same trigger; a complaint's received time never changes), and the
// officer's index is ordered by it, so a list reads its ten rows newest first. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local statement_timeout = 0`.execute(db);
  await sql`alter table allegations add column received_at timestamptz`.execute(db);
  // Filling the new column changes no count: the triggers that keep counts on updates stay out of it.
  await sql`alter table allegations disable trigger user`.execute(db);
  await sql`update allegations a set received_at = c.received_at from complaints c where c.id = a.complaint_id`.execute(
    db,
  );
  await sql`alter table allegations enable trigger user`.execute(db);
  await sql`create or replace function allegations_received_on() returns trigger language plpgsql as $$
    begin
      select received_at, (received_at at time zone 'UTC')::date into new.received_at, new.received_on
        from complaints where id = new.complaint_id;
      return new;
    end $$`.execute(db);
  await sql`drop index allegations_officer_received`.execute(db);
  await sql`create index allegations_officer_received on allegations (officer_id, received_at desc)
              include (received_on, complaint_id, category, finding, decided_at, created_at)
              where officer_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index allegations_officer_received`.execute(db);
  await sql`create index allegations_officer_received on allegations (officer_id, received_on desc)
              include (complaint_id, category, finding, decided_at) where officer_id is not null`.execute(db);
  await sql`create or replace function allegations_received_on() returns trigger language plpgsql as $$
    begin
      select (received_at at time zone 'UTC')::date into new.received_on from complaints where id = new.complaint_id;
      return new;
    end $$`.execute(db);
  await sql`alter table allegations drop column received_at`.execute(db);
}
