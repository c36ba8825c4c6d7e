import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

/*
 * What a public-records release reads of its cases. Nothing here selects a complainant's or a
 * witness's identity for printing: identitiesOf reads them only so that the narrative, when staff
 * include it, can have them taken out. The allegations' officers are read for the same reason
 * when the narrative is included: those the release does not name come out of it too.
 */

/** The cases still held, their stage now, and the counts a release states instead of the records themselves. */
export async function releasedCases(db: Executor, ids: string[], withNarrative: boolean) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('complaints as c')
    .select(['c.id', 'c.stage', 'c.outcome', 'c.anonymous', 'c.public_history'])
    .select((eb) => [
      sql<string | null>`case when ${sql.lit(withNarrative)} then c.narrative end`.as('narrative'),
      eb
        .selectFrom('witnesses as w')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('w.complaint_id', '=', 'c.id')
        .as('witnesses'),
      eb
        .selectFrom('attachments as f')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('f.complaint_id', '=', 'c.id')
        .as('evidence_files'),
    ])
    .where('c.id', 'in', ids)
    .execute();
}

/** The allegations of these cases: category, final finding and the roster's officer, nothing written. */
export async function releasedAllegations(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('allegations as a')
    .innerJoin('allegation_categories as k', 'k.code', 'a.category')
    .leftJoin('officers as o', 'o.id', 'a.officer_id')
    .select([
      'a.id',
      'a.complaint_id',
      'k.name_en',
      'k.name_es',
      'a.finding',
      'a.officer_id',
      'o.rank',
      'o.first_name',
      'o.last_name',
      'o.badge_number',
    ])
    .where('a.complaint_id', 'in', ids)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

/** The board's latest decision on each case: when, and the tally of each allegation. */
export async function boardDecisionsOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('agenda_items as i')
    .innerJoin('board_findings as f', 'f.agenda_item_id', 'i.id')
    .select(['i.complaint_id', 'i.decided_at', 'f.allegation_id', 'f.votes_cast', 'f.votes_for'])
    .where('i.complaint_id', 'in', ids)
    .where('i.outcome', '=', 'decided')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('agenda_items as later')
            .select('later.id')
            .whereRef('later.complaint_id', '=', 'i.complaint_id')
            .where('later.outcome', '=', 'decided')
            .whereRef('later.decided_at', '>', 'i.decided_at'),
        ),
      ),
    )
    .execute();
}

/** The names and contact details of complainants, filers and witnesses: to take out of a narrative. */
export async function identitiesOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  const people = db
    .selectFrom('complainants')
    .select(['complaint_id', 'name', sql<string | null>`null`.as('contact'), 'email', 'phone', 'address'])
    .where('complaint_id', 'in', ids);
  const witnesses = db
    .selectFrom('witnesses')
    .select([
      'complaint_id',
      'name',
      'contact',
      sql<string | null>`null`.as('email'),
      sql<string | null>`null`.as('phone'),
      sql<string | null>`null`.as('address'),
    ])
    .where('complaint_id', 'in', ids);
  return people.unionAll(witnesses).execute();
}
