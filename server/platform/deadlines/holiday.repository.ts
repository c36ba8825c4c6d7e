import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

export interface HolidayRow {
  day: string;
  name: string;
  source: 'admin' | 'calendar';
}

/** The agency's own days off (the region's public holidays are computed, not stored), by date. */
export async function listHolidays(db: Executor, year?: number): Promise<HolidayRow[]> {
  let query = db.selectFrom('holidays').select(['day', 'name', 'source']);
  if (year !== undefined) query = query.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return query.orderBy('day').execute();
}

/** The years that have at least one holiday, newest first, for the year filter. */
export async function holidayYears(db: Executor): Promise<number[]> {
  const rows = await db
    .selectFrom('holidays')
    .select(sql<number>`extract(year from day)::int`.as('year'))
    .distinct()
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => Number(r.year));
}

/** Adds a day off; false when that day is already one. */
export async function insertHoliday(trx: Executor, holiday: { day: string; name: string }): Promise<boolean> {
  const row = await trx
    .insertInto('holidays')
    .values({ ...holiday, source: 'admin' })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('day')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteHoliday(trx: Executor, day: string): Promise<HolidayRow | undefined> {
  return trx.deleteFrom('holidays').where('day', '=', day).returning(['day', 'name', 'source']).executeTakeFirst();
}
