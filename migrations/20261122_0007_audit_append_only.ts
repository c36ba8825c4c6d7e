import { sql, type Kysely } from 'kysely';

// R4: the audit log is append-only. Row triggers refuse UPDATE and DELETE, a statement trigger
// refuses TRUNCATE, for every role but one that disables the triggers on purpose (which the hash
// chain then exposes). Frozen in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % refused', tg_op using errcode = '42501';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_events_no_update_delete before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
  await sql`drop trigger audit_events_no_update_delete on audit_events`.execute(db);
  await sql`drop function audit_events_append_only()`.execute(db);
}
