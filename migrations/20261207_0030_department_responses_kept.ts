import { sql, type Kysely } from 'kysely';

// The department's responses (migration 0025) are kept as well as never edited: a row goes only
// with its case (the retention purge) or its allegation (removed from a reopened case), through
// the foreign keys' cascade; a direct DELETE or a TRUNCATE is refused. Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function department_responses_kept() returns trigger language plpgsql as $$
      begin
        if tg_op = 'TRUNCATE' then
          raise exception 'department responses are kept: they go only with their case';
        end if;
        if exists (select 1 from complaints where id = old.complaint_id)
           and exists (select 1 from allegations where id = old.allegation_id) then
          raise exception 'department responses are kept: they go only with their case';
        end if;
        return old;
      end $$`.execute(db);
  await sql`create trigger department_responses_kept before delete on department_responses
              for each row execute function department_responses_kept()`.execute(db);
  await sql`create trigger department_responses_not_truncated before truncate on department_responses
              for each statement execute function department_responses_kept()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger department_responses_not_truncated on department_responses`.execute(db);
  await sql`drop trigger department_responses_kept on department_responses`.execute(db);
  await sql`drop function department_responses_kept()`.execute(db);
}
