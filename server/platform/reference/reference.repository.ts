import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Executor } from '../db/executor.js';
import { PREPARED } from '../db/prepared.js';
import type { DistrictsTable, NewOfficer } from '../db/schema.js';
import type { DeadlinePoliciesTable } from '../db/schema.deadlines.js';

type DeadlineUnit = DeadlinePoliciesTable['unit'];

export async function insertDistricts(db: Executor, districts: Insertable<DistrictsTable>[]): Promise<void> {
  await db
    .insertInto('districts')
    .values(districts)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function insertOfficers(db: Executor, officers: NewOfficer[]): Promise<void> {
  await db.insertInto('officers').values(officers).execute();
}

/** Every district, retired ones too: officers and past complaints keep the codes they were given. */
export async function allDistricts(db: Executor) {
  return db.selectFrom('districts').select(['code', 'name_en', 'name_es', 'active']).orderBy('name_en').execute();
}

/** Every allegation category, retired ones too: past complaints and stored thresholds may name one. */
export async function allCategories(db: Executor) {
  return db
    .selectFrom('allegation_categories')
    .select(['code', 'name_en', 'name_es', 'active'])
    .orderBy('position')
    .orderBy('code')
    .execute();
}

/** The reference data every instance keeps in memory (reference.cache.ts), as one statement reads it. */
export interface ReferenceRows {
  districts: Array<{ code: string; name_en: string; name_es: string }>;
  categories: Array<{ code: string; name_en: string; name_es: string }>;
  policies: Array<{ kind: string; amount: number; unit: DeadlineUnit; warn_before_days: number }>;
  holidays: string[];
  statutoryBasis: 'discovery' | 'incident' | null;
}

/**
 * The reference data's version (bumped by trigger whenever any of it changes, migration 0021),
 * and the data itself only when the version is not `known`: one small read when nothing changed.
 * The active districts and categories in the agency's order, every policy override and admin
 * holiday, and the statutory clock's basis, all from one snapshot.
 */
export async function referenceSince(
  db: Executor,
  known: string | undefined,
): Promise<{ version: string; rows: ReferenceRows | null }> {
  const named = (table: string, order: RawBuilder<unknown>) =>
    sql`(select coalesce(json_agg(json_build_object('code', code, 'name_en', name_en, 'name_es', name_es)
           order by ${order}), '[]'::json) from ${sql.table(table)} where active)`;
  const { rows } = await sql<{ version: string; rows: ReferenceRows | null }>`${sql.raw(PREPARED)}
    select v.version::text as version,
      case when v.version::text is distinct from ${known ?? null}::text then json_build_object(
        'districts', ${named('districts', sql`name_en`)},
        'categories', ${named('allegation_categories', sql`position, code`)},
        'policies', (select coalesce(json_agg(json_build_object('kind', kind, 'amount', amount, 'unit', unit,
                       'warn_before_days', warn_before_days)), '[]'::json) from deadline_policies),
        'holidays', (select coalesce(json_agg(day::text order by day), '[]'::json) from holidays),
        'statutoryBasis', (select value from settings where key = 'statutory_basis')
      ) end as rows
    from reference_version v`.execute(db);
  return rows[0]!;
}
