import type { Executor } from '../../platform/db/executor.js';
import { NO_DISTRICT, RESPONDENTS } from './trustSurvey.bank.js';

// Answers to a community trust survey wave (#19 part 4), kept in three places that do not point
// at each other: the ballot (a keyed hash of a token: this browser has answered), the anonymous
// answer, and the wave's running totals that the dashboard reads. A ballot and its answer are
// written in one transaction, so a copy of the database can pair them (the same xmin, their order
// on disk): what keeps an answer anonymous is that nothing outside the database finds a ballot
// (the browser's token is replaced once spent, and the hash needs the server's key).

/** Whether a browser's token (by its keyed hashes, one per key of the ring) has answered the wave. */
export async function ballotCast(db: Executor, waveId: string, ballots: readonly string[]): Promise<boolean> {
  if (ballots.length === 0) return false;
  const row = await db
    .selectFrom('trust_ballots')
    .select('wave_id')
    .where('wave_id', '=', waveId)
    .where('token_hash', 'in', ballots)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records that a token (by its keyed hash) answered the wave; false when it had already. Of two
 * submissions at once, the second waits for the first and then inserts nothing.
 */
export async function castBallot(trx: Executor, waveId: string, ballot: string): Promise<boolean> {
  const row = await trx
    .insertInto('trust_ballots')
    .values({ wave_id: waveId, token_hash: ballot })
    .onConflict((oc) => oc.columns(['wave_id', 'token_hash']).doNothing())
    .returning('wave_id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface TrustAnswerRow {
  waveId: string;
  answeredOn: string;
  district: string | null;
  scores: Record<string, number>;
  ageRange: string | null;
  gender: string | null;
  race: string | null;
}

/** Stores an anonymous answer and adds it to its wave's totals (the caller's transaction holds both). */
export async function recordAnswer(trx: Executor, answer: TrustAnswerRow): Promise<void> {
  await insertAnswer(trx, answer);
  const district = answer.district ?? NO_DISTRICT;
  await addToResults(trx, answer.waveId, [
    { district, item: RESPONDENTS, answers: 1, scoreSum: 0 },
    ...Object.entries(answer.scores).map(([item, score]) => ({ district, item, answers: 1, scoreSum: score })),
  ]);
}

async function insertAnswer(trx: Executor, answer: TrustAnswerRow): Promise<void> {
  await trx
    .insertInto('trust_answers')
    .values({
      wave_id: answer.waveId,
      answered_on: answer.answeredOn,
      district: answer.district,
      scores: JSON.stringify(answer.scores),
      age_range: answer.ageRange,
      gender: answer.gender,
      race: answer.race,
    })
    .execute();
}

/**
 * Adds an answer's part to the wave's totals, in one statement. Rows are taken in key order, so
 * answers written at the same time lock the shared rows in the same order and never deadlock.
 */
async function addToResults(
  trx: Executor,
  waveId: string,
  cells: ReadonlyArray<{ district: string; item: string; answers: number; scoreSum: number }>,
): Promise<void> {
  if (cells.length === 0) return;
  const ordered = [...cells].sort((a, b) =>
    a.district === b.district ? (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) : a.district < b.district ? -1 : 1,
  );
  await trx
    .insertInto('trust_results')
    .values(
      ordered.map((c) => ({
        wave_id: waveId,
        district: c.district,
        item: c.item,
        answers: c.answers,
        score_sum: c.scoreSum,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['wave_id', 'district', 'item']).doUpdateSet((eb) => ({
        answers: eb('trust_results.answers', '+', eb.ref('excluded.answers')),
        score_sum: eb('trust_results.score_sum', '+', eb.ref('excluded.score_sum')),
      })),
    )
    .execute();
}
