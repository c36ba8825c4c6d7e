import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

/**
 * Of these stored file names, those that no attachment and no complaint form in progress points
 * to: files a crash left behind (#15 item 9).
 */
export async function unreferencedFileNames(db: Executor, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { rows } = await sql<{ name: string }>`
    select n.name from unnest(${names}::text[]) as n(name)
    where not exists (select 1 from attachments a where a.stored_name = n.name)
      and not exists (select 1 from attachments a where a.viewing_name = n.name)
      and not exists (
        select 1 from complaint_drafts d, jsonb_array_elements(coalesce(d.data->'evidence', '[]'::jsonb)) e
        where e->>'storedName' = n.name or e->>'viewingName' = n.name)`.execute(db);
  return rows.map((row) => row.name);
}
