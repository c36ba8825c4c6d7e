import { sql, type Updateable } from 'kysely';
import { caseVisibleTo, type Viewer } from '../../platform/db/caseAccess.js';
import type { Executor } from '../../platform/db/executor.js';
import type { NewOfficer, OfficersTable } from '../../platform/db/schema.js';

const OFFICER_COLUMNS = [
  'id',
  'badge_number',
  'first_name',
  'last_name',
  'rank',
  'unit',
  'district',
  'active',
] as const;

// Any constant will do, as long as nothing else takes this advisory lock.
const ROSTER_LOCK = 7_310_505;

/** Serialises changes to the roster until the transaction ends, so a badge number checked free stays free. */
export async function lockRoster(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ROSTER_LOCK})`.execute(trx);
}

export interface RosterFilter {
  /** Part of a name ("first last" or "last, first") or of a badge number. */
  text?: string | undefined;
  active?: boolean | undefined;
}

/** `%` and `_` typed by a user are looked for as themselves. */
const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rosterQuery(db: Executor, filter: RosterFilter) {
  let query = db.selectFrom('officers as o');
  if (filter.active !== undefined) query = query.where('o.active', '=', filter.active);
  if (filter.text) {
    const pattern = likeEscaped(filter.text);
    query = query.where((eb) =>
      eb.or([
        eb('o.badge_number', 'ilike', pattern),
        eb(sql<string>`o.first_name || ' ' || o.last_name`, 'ilike', pattern),
        eb(sql<string>`o.last_name || ', ' || o.first_name`, 'ilike', pattern),
      ]),
    );
  }
  return query;
}

/** One page of the roster by last name, and how many officers match in all. */
export async function rosterPage(db: Executor, filter: RosterFilter, limit: number, offset: number) {
  const rows = await rosterQuery(db, filter)
    .leftJoin('districts as d', 'd.code', 'o.district')
    .select(OFFICER_COLUMNS.map((c) => `o.${c}` as const))
    .select(['d.name_en as district_en', 'd.name_es as district_es'])
    .orderBy('o.last_name')
    .orderBy('o.first_name')
    .orderBy('o.badge_number')
    .orderBy('o.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const { count } = await rosterQuery(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count) };
}

export async function officerById(db: Executor, id: string) {
  return db
    .selectFrom('officers as o')
    .leftJoin('districts as d', 'd.code', 'o.district')
    .select(OFFICER_COLUMNS.map((c) => `o.${c}` as const))
    .select(['d.name_en as district_en', 'd.name_es as district_es'])
    .where('o.id', '=', id)
    .executeTakeFirst();
}

/** The officers holding these badge numbers. */
export async function officersByBadges(db: Executor, badges: string[]) {
  if (badges.length === 0) return [];
  return db.selectFrom('officers').select(OFFICER_COLUMNS).where('badge_number', 'in', badges).execute();
}

export async function insertOfficer(db: Executor, values: NewOfficer): Promise<string> {
  const row = await db.insertInto('officers').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOfficer(db: Executor, id: string, values: Updateable<OfficersTable>): Promise<boolean> {
  const result = await db.updateTable('officers').set(values).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The officer's allegations a page of their history shows (#18: bounded at any size). */
export const HISTORY_PAGE_SIZE = 50;

const historyOf = (db: Executor, officerId: string, viewer: Viewer) =>
  db
    .selectFrom('allegations as a')
    .innerJoin('complaints as c', 'c.id', 'a.complaint_id')
    .where('a.officer_id', '=', officerId)
    .where(caseVisibleTo(viewer));

/** One page of the allegations naming the officer, on the cases this viewer may see (R14), newest complaint first. */
export async function officerHistory(db: Executor, officerId: string, viewer: Viewer, page: number) {
  return historyOf(db, officerId, viewer)
    .innerJoin('allegation_categories as k', 'k.code', 'a.category')
    .select([
      'a.id',
      'c.id as complaint_id',
      'c.tracking_number',
      'c.received_at',
      'c.stage',
      'a.finding',
      'k.name_en as category_en',
      'k.name_es as category_es',
    ])
    .orderBy('c.received_at', 'desc')
    .orderBy('c.tracking_number')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(HISTORY_PAGE_SIZE)
    .offset((page - 1) * HISTORY_PAGE_SIZE)
    .execute();
}

/** How many allegations name the officer, complaints since `since`, and sustained findings. */
export async function officerHistoryCounts(db: Executor, officerId: string, viewer: Viewer, since: Date) {
  const row = await historyOf(db, officerId, viewer)
    .select([
      sql<number>`count(*)`.as('allegations'),
      sql<number>`count(distinct c.id) filter (where c.received_at >= ${since})`.as('recent'),
      sql<number>`count(*) filter (where a.finding = 'sustained')`.as('sustained'),
    ])
    .executeTakeFirstOrThrow();
  return { allegations: Number(row.allegations), recent: Number(row.recent), sustained: Number(row.sustained) };
}
