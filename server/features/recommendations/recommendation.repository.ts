import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import type { RecommendationUpdatesTable, RecommendationsTable } from '../../platform/db/schema.js';

// Policy recommendations (#19 part 3): the recommendation, the cases that prompted it (internal),
// and its dated updates (the department's response, implementation), which are never changed.

const COLUMNS = [
  'r.id',
  'r.reference',
  'r.title_en',
  'r.title_es',
  'r.body_en',
  'r.body_es',
  'r.basis_en',
  'r.basis_es',
  'r.status',
  'r.adopted_at',
  'r.response_due_at',
  'r.created_at',
] as const;

/** Every recommendation, newest first, for staff. */
export async function allRecommendations(db: Executor) {
  return db.selectFrom('recommendations as r').select(COLUMNS).orderBy('r.created_at', 'desc').execute();
}

/** The recommendations the board adopted, newest first: what the public tracker lists. */
export async function adoptedRecommendations(db: Executor) {
  return db
    .selectFrom('recommendations as r')
    .select(COLUMNS)
    .where('r.status', '=', 'adopted')
    .orderBy('r.adopted_at', 'desc')
    .orderBy('r.reference', 'desc')
    .execute();
}

/** The drafts not waiting on any agenda: those an organiser may put on one, newest first. */
export async function draftsOffAgenda(db: Executor) {
  return db
    .selectFrom('recommendations as r')
    .select(COLUMNS)
    .where('r.status', '=', 'draft')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('recommendation_items as i')
            .select('i.id')
            .whereRef('i.recommendation_id', '=', 'r.id')
            .where('i.outcome', 'is', null),
        ),
      ),
    )
    .orderBy('r.created_at', 'desc')
    .execute();
}

export async function recommendationById(db: Executor, id: string) {
  return db.selectFrom('recommendations as r').select(COLUMNS).where('r.id', '=', id).executeTakeFirst();
}

/** The recommendation, locked for a change. */
export async function lockRecommendation(trx: Executor, id: string) {
  return trx.selectFrom('recommendations as r').select(COLUMNS).where('r.id', '=', id).forUpdate().executeTakeFirst();
}

/** A new recommendation, numbered after every earlier one, with the year it was drafted (REC-2026-001). */
export async function insertRecommendation(
  trx: Executor,
  row: Omit<Insertable<RecommendationsTable>, 'reference'>,
  year: number,
): Promise<{ id: string; reference: string }> {
  return trx
    .insertInto('recommendations')
    .values({
      ...row,
      // At least three digits, never cut: the thousandth is REC-YYYY-1000.
      reference: sql<string>`${`REC-${year}-`}::text || to_char(nextval('recommendation_numbers'), 'FM000')`,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}

export async function updateRecommendation(trx: Executor, id: string, values: Updateable<RecommendationsTable>) {
  await trx.updateTable('recommendations').set(values).where('id', '=', id).execute();
}

/** The cases with these tracking numbers (the ones that exist), for linking. */
export async function casesByTracking(db: Executor, trackingNumbers: readonly string[]) {
  if (trackingNumbers.length === 0) return [];
  return db
    .selectFrom('complaints')
    .select(['id', 'tracking_number'])
    .where('tracking_number', 'in', [...trackingNumbers])
    .execute();
}

export async function linkedCases(db: Executor, recommendationId: string) {
  return db
    .selectFrom('recommendation_cases as l')
    .innerJoin('complaints as c', 'c.id', 'l.complaint_id')
    .select(['c.id', 'c.tracking_number'])
    .where('l.recommendation_id', '=', recommendationId)
    .orderBy('c.tracking_number')
    .execute();
}

export async function replaceLinkedCases(trx: Executor, recommendationId: string, complaintIds: readonly string[]) {
  await trx.deleteFrom('recommendation_cases').where('recommendation_id', '=', recommendationId).execute();
  if (complaintIds.length === 0) return;
  await trx
    .insertInto('recommendation_cases')
    .values(complaintIds.map((complaint_id) => ({ recommendation_id: recommendationId, complaint_id })))
    .execute();
}

/** The dated updates of some recommendations in the order recorded: of each kind, the last is in force. */
export async function updatesOf(db: Executor, recommendationIds: readonly string[]) {
  if (recommendationIds.length === 0) return [];
  return db
    .selectFrom('recommendation_updates as u')
    .select(['u.id', 'u.recommendation_id', 'u.kind', 'u.status', 'u.body', 'u.occurred_on', 'u.recorded_at'])
    .where('u.recommendation_id', 'in', [...recommendationIds])
    .orderBy('u.recorded_at')
    .orderBy('u.id')
    .execute();
}

export async function insertUpdate(trx: Executor, row: Insertable<RecommendationUpdatesTable>): Promise<string> {
  const { id } = await trx.insertInto('recommendation_updates').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The meeting where each recommendation was voted, and the count: its decided items. */
export async function decisionsOf(db: Executor, recommendationIds: readonly string[]) {
  if (recommendationIds.length === 0) return [];
  return db
    .selectFrom('recommendation_items as i')
    .innerJoin('board_meetings as m', 'm.id', 'i.meeting_id')
    .select(['i.recommendation_id', 'i.outcome', 'i.votes_for', 'i.votes_against', 'i.decided_at', 'm.scheduled_for'])
    .where('i.recommendation_id', 'in', [...recommendationIds])
    .where('i.outcome', 'is not', null)
    .orderBy('i.decided_at')
    .execute();
}
