import { sql } from 'kysely';
import type { Executor } from './executor.js';

/**
 * Adds a table of differences (`delta`, with the target's key columns and counts) to a kept table:
 * counts that exist are changed, new ones inserted, and those brought to zero (by the first of
 * `counts`) removed. (Not an upsert: a negative difference must never be proposed as a new row.)
 */
export async function addDifferences(
  trx: Executor,
  target: string,
  delta: string,
  keys: readonly string[],
  counts: readonly string[],
): Promise<void> {
  const t = sql.table(target);
  const d = sql.table(delta);
  const sameKey = sql.join(
    keys.map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`d.${k}`)}`),
    sql` and `,
  );
  await sql`
    update ${t} as t set ${sql.join(counts.map((c) => sql`${sql.ref(c)} = ${sql.ref(`t.${c}`)} + ${sql.ref(`d.${c}`)}`))}
      from ${d} as d where ${sameKey}`.execute(trx);
  await sql`
    insert into ${t} (${sql.join([...keys, ...counts].map((c) => sql.ref(c)))})
    select ${sql.join([...keys, ...counts].map((c) => sql.ref(`d.${c}`)))} from ${d} as d
     where not exists (select 1 from ${t} as t where ${sameKey})`.execute(trx);
  await sql`delete from ${t} as t using ${d} as d where ${sameKey} and ${sql.ref(`t.${counts[0]!}`)} = 0`.execute(trx);
}
