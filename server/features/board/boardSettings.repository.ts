import { rolesWith } from '../../domain/policy.js';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

/** Active users holding the board role, by name. */
function boardMembersQuery(db: Executor) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .where('r.role', 'in', rolesWith('board.vote'))
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name');
}

/** Active users holding the board role. */
export async function boardMembers(db: Executor) {
  return boardMembersQuery(db).select(['u.id', 'u.display_name']).execute();
}

/**
 * The board's settings in one read: these settings' stored values by key (a key not set is absent)
 * and the ids of the board's members, by name.
 */
export async function boardSettingValues(
  db: Executor,
  keys: readonly string[],
): Promise<{ values: Record<string, unknown>; memberIds: string[] }> {
  const members = boardMembersQuery(db).select(sql<string>`u.id::text`.as('id'));
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('settings')
        .select(sql<Record<string, unknown> | null>`jsonb_object_agg(key, value)`.as('values'))
        .where('key', 'in', keys)
        .as('values'),
      sql<string[]>`array(${members})`.as('memberIds'),
    ])
    .executeTakeFirstOrThrow();
  return { values: row.values ?? {}, memberIds: row.memberIds };
}
