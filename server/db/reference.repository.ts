import type { Executor } from './executor.js';
import type { Insertable } from 'kysely';
import type { DistrictsTable, NewOfficer } from './schema.js';

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
