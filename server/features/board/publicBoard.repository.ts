import type { Executor } from '../../platform/db/executor.js';

/**
 * The names the public board pages print beside codes. Every row, retired ones included: an old
 * agenda still names the categories and districts of its day.
 */
export async function categoryNames(db: Executor) {
  return db.selectFrom('allegation_categories').select(['code', 'name_en', 'name_es']).execute();
}

export async function districtNames(db: Executor) {
  return db.selectFrom('districts').select(['code', 'name_en', 'name_es']).execute();
}
