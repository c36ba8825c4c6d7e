import { sql } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { RESPONDENTS } from './trustSurvey.bank.js';

// Community trust survey waves (#19 part 4). Dates are calendar days in the agency's time zone,
// given by the caller as 'YYYY-MM-DD' (`today`): a wave is open from its first to its last day,
// unless an admin closed it early.

const WAVE_COLUMNS = ['id', 'opens_on', 'closes_on', 'items', 'asks_demographics', 'closed_at'] as const;

/**
 * Holds off other openings until the caller's transaction ends, so two admins opening waves
 * together cannot both pass the overlap check. Readers and answers are not held up.
 */
export async function lockWaveOpenings(trx: Executor): Promise<void> {
  await sql`lock table trust_waves in share row exclusive mode`.execute(trx);
}

/** Whether a wave not closed, and not over by `today`, shares a day with the given dates. */
export async function overlapsWave(trx: Executor, dates: { opensOn: string; closesOn: string }, today: string) {
  const row = await trx
    .selectFrom('trust_waves')
    .select('id')
    .where('closed_at', 'is', null)
    .where('closes_on', '>=', today)
    .where('opens_on', '<=', dates.closesOn)
    .where('closes_on', '>=', dates.opensOn)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertWave(
  trx: Executor,
  wave: { opensOn: string; closesOn: string; items: readonly string[]; asksDemographics: boolean; createdBy: string },
): Promise<string> {
  const row = await trx
    .insertInto('trust_waves')
    .values({
      opens_on: wave.opensOn,
      closes_on: wave.closesOn,
      items: [...wave.items],
      asks_demographics: wave.asksDemographics,
      created_by: wave.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ends a wave that is not over yet (open, or not yet begun); undefined when there is none. */
export async function closeWave(trx: Executor, id: string, at: Date, today: string) {
  return trx
    .updateTable('trust_waves')
    .set({ closed_at: at })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .where('closes_on', '>=', today)
    .returning(['id', 'opens_on', 'closes_on'])
    .executeTakeFirst();
}

/** Every wave, latest first, with how many answered it (for the admins, who see raw counts). */
export async function listWaves(db: Executor, limit: number) {
  return db
    .selectFrom('trust_waves')
    .leftJoin('trust_results', (join) =>
      join.onRef('trust_results.wave_id', '=', 'trust_waves.id').on('trust_results.item', '=', RESPONDENTS),
    )
    .select(WAVE_COLUMNS.map((c) => `trust_waves.${c}` as const))
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('trust_results.answers'), sql<string>`0`).as('respondents'))
    .groupBy('trust_waves.id')
    .orderBy('trust_waves.opens_on', 'desc')
    .limit(limit)
    .execute();
}

/** The wave open on `today`, if any (openings never overlap). */
export async function openWave(db: Executor, today: string) {
  return db
    .selectFrom('trust_waves')
    .select(WAVE_COLUMNS)
    .where('closed_at', 'is', null)
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .orderBy('opens_on')
    .executeTakeFirst();
}

export async function waveById(db: Executor, id: string) {
  return db.selectFrom('trust_waves').select(WAVE_COLUMNS).where('id', '=', id).executeTakeFirst();
}
