import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { ReleaseOptions } from '../../platform/db/schema.js';

/** The cases with these tracking numbers, whatever their stage: the service says which may be released. */
export async function casesByTrackingNumber(db: Executor, trackingNumbers: string[]) {
  if (trackingNumbers.length === 0) return [];
  return db
    .selectFrom('complaints')
    .select(['id', 'tracking_number', 'stage'])
    .where('tracking_number', 'in', trackingNumbers)
    .execute();
}

export async function insertRelease(
  trx: Executor,
  release: {
    reference: string;
    createdBy: string;
    options: ReleaseOptions;
    caseIds: string[];
    trackingNumbers: string[];
  },
): Promise<{ id: string; created_at: Date }> {
  return trx
    .insertInto('records_releases')
    .values({
      reference: release.reference,
      created_by: release.createdBy,
      options: JSON.stringify(release.options),
      case_ids: sql<string[]>`cast(${release.caseIds} as uuid[])`,
      tracking_numbers: sql<string[]>`cast(${release.trackingNumbers} as text[])`,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A page of releases, newest first, with the name of who made each. */
export async function listReleases(db: Executor, page: { limit: number; offset: number }) {
  return db
    .selectFrom('records_releases as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.reference', 'r.created_at', 'r.options', 'r.tracking_numbers', 'u.display_name'])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countReleases(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('records_releases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function releaseById(db: Executor, id: string) {
  return db
    .selectFrom('records_releases as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.reference', 'r.created_at', 'r.options', 'r.case_ids', 'r.tracking_numbers', 'u.display_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
}
