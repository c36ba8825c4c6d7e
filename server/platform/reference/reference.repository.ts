import type { Executor } from '../db/executor.js';
import type { Insertable } from 'kysely';
import type { DistrictsTable, NewOfficer } from '../db/schema.js';

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

/** The active districts and allegation categories residents choose from, in the agency's order. */
export async function activeDistricts(db: Executor) {
  return db
    .selectFrom('districts')
    .select(['code', 'name_en', 'name_es'])
    .where('active', '=', true)
    .orderBy('name_en')
    .execute();
}

export async function activeCategories(db: Executor) {
  return db
    .selectFrom('allegation_categories')
    .select(['code', 'name_en', 'name_es'])
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('code')
    .execute();
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
