import { sql, type Compilable } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import type { PublicHistoryEntry } from '../../platform/db/schema.js';

export interface StatusRow {
  id: string | null;
  tracking_number: string | null;
  access_code_hash: string | null;
  snapshot: unknown;
  machine_version: number | null;
  anonymous: boolean | null;
  outcome: string | null;
  public_history: PublicHistoryEntry[] | null;
  allegations: Array<{ name_en: string; name_es: string; finding: string | null }> | null;
  next_deadline: { kind: string; due_at: string } | null;
  /** The counts of the attempt reserved with the read, by bucket; null without one. */
  attempts: Record<string, number> | null;
}

/**
 * Everything a status page shows, in one indexed read (R16: a lookup costs one read, an HMAC and a
 * render), and with it the lookup's attempt reserved (`reserve`, returning bucket and failures), so
 * counting and reading are one round trip. Unknown numbers still reserve and return the counts, in
 * a row whose case columns are null.
 */
export async function statusRow(
  db: Executor,
  by: { trackingNumber: string } | { id: string },
  reserve: Compilable | undefined,
): Promise<StatusRow> {
  const match = 'id' in by ? sql`c.id = ${by.id}` : sql`c.tracking_number = ${by.trackingNumber}`;
  const attempts = reserve ? sql`(select json_object_agg(r.bucket, r.failures) from reserved r)` : sql`null::json`;
  const { rows } = await sql<StatusRow>`${sql.raw(PREPARED)}
    ${reserve ? sql`with reserved as (${reserve}) ` : sql``}
    select c.id, c.tracking_number, c.access_code_hash, c.snapshot, c.machine_version, c.anonymous, c.outcome,
      c.public_history,
      (select coalesce(json_agg(json_build_object('name_en', k.name_en, 'name_es', k.name_es, 'finding', a.finding)
                 order by a.created_at, a.id), '[]'::json)
         from allegations a join allegation_categories k on k.code = a.category
        where a.complaint_id = c.id) as allegations,
      (select json_build_object('kind', d.kind, 'due_at', d.due_at)
         from deadlines d
        where d.complaint_id = c.id and d.status in ('open', 'warned', 'breached') and d.completed_at is null
          and d.kind <> 'statutory' and d.tolled_at is null
        order by d.due_at limit 1) as next_deadline,
      ${attempts} as attempts
    from (select 1) as one
    left join complaints c on ${match}`.execute(db);
  return rows[0]!;
}
