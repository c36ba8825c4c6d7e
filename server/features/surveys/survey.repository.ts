import type { Executor } from '../../platform/db/executor.js';
import type { Language } from '../../platform/db/schema.js';

// Closing surveys: one per complaint, reached by a single-use link whose token is stored only as a keyed hash.

import { SURVEY_SCORES, type SurveyScore } from '../../domain/vocabulary.js';

export { SURVEY_SCORES, type SurveyScore };

/** What a respondent gave: each score 1–5 or not answered, and a comment kept internal. */
export type SurveyAnswers = Record<SurveyScore, number | null> & { comment: string | null };

/**
 * The survey of a complaint that is not anonymous, unless it already has one (a case closed
 * again after reopening keeps its first survey). Undefined when nothing was inserted.
 */
export async function insertSurvey(
  trx: Executor,
  row: { complaintId: string; tokenHash: string; language: Language; sentAt: Date },
): Promise<string | undefined> {
  const inserted = await trx
    .insertInto('surveys')
    .columns(['complaint_id', 'token_hash', 'language', 'sent_at'])
    .expression((eb) =>
      eb
        .selectFrom('complaints')
        .select([
          'id',
          eb.val(row.tokenHash).as('token_hash'),
          eb.cast<Language>(eb.val(row.language), 'text').as('language'),
          eb.cast<Date>(eb.val(row.sentAt), 'timestamptz').as('sent_at'),
        ])
        .where('id', '=', row.complaintId)
        .where('anonymous', '=', false),
    )
    .onConflict((oc) => oc.column('complaint_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** The survey a token hash names, answered or not. */
/** A survey by its link's keyed hash under any key of the ring. */
export async function surveyByTokenHash(db: Executor, tokenHashes: readonly string[]) {
  return db
    .selectFrom('surveys')
    .select(['id', 'complaint_id', 'language', 'sent_at', 'answered_at'])
    .where('token_hash', 'in', tokenHashes)
    .executeTakeFirst();
}

/**
 * Stores the answers once: only while the survey is unanswered and was sent after `sentAfter`
 * (not expired). Two simultaneous submissions update one row once; the other gets undefined.
 */
export async function storeAnswers(
  db: Executor,
  by: { tokenHashes: readonly string[] } | { id: string },
  answers: SurveyAnswers,
  at: Date,
  sentAfter: Date,
): Promise<{ id: string; complaint_id: string; language: Language } | undefined> {
  const query = db
    .updateTable('surveys')
    .set({ ...answers, answered_at: at })
    .where('answered_at', 'is', null)
    .where('sent_at', '>', sentAfter);
  return ('id' in by ? query.where('id', '=', by.id) : query.where('token_hash', 'in', by.tokenHashes))
    .returning(['id', 'complaint_id', 'language'])
    .executeTakeFirst();
}

/** Unanswered surveys, oldest first, by the complaint's tracking number (the demo answers some). */
export async function unansweredSurveys(db: Executor) {
  return db
    .selectFrom('surveys')
    .innerJoin('complaints', 'complaints.id', 'surveys.complaint_id')
    .select(['surveys.id', 'surveys.sent_at', 'surveys.language'])
    .where('surveys.answered_at', 'is', null)
    .orderBy('complaints.tracking_number')
    .execute();
}

export async function countAnswered(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('surveys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('answered_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A complaint's survey as its supervisors read it: when sent and answered, the scores, the comment. */
export async function surveyOfComplaint(db: Executor, complaintId: string) {
  return db
    .selectFrom('surveys')
    .select(['sent_at', 'answered_at', 'language', ...SURVEY_SCORES, 'comment'])
    .where('complaint_id', '=', complaintId)
    .executeTakeFirst();
}
