import type { Executor } from '../../platform/db/executor.js';

// The community trust survey's published results (#19 part 4): only waves that are over, read
// from their running totals (`trust_results`, a few rows per district and statement), never from
// the answers themselves.

/** The latest waves that are over (ended, or closed early) and had any answer, latest first; all without a limit. */
export async function publishedWaves(db: Executor, today: string, limit?: number) {
  return db
    .selectFrom('trust_waves')
    .select(['id', 'opens_on', 'closes_on', 'items'])
    .where((eb) => eb.or([eb('closed_at', 'is not', null), eb('closes_on', '<', today)]))
    .where((eb) =>
      eb.exists(
        eb.selectFrom('trust_results').select('wave_id').whereRef('trust_results.wave_id', '=', 'trust_waves.id'),
      ),
    )
    .orderBy('opens_on', 'desc')
    .$if(limit !== undefined, (q) => q.limit(limit!))
    .execute();
}

/** The totals of these waves by district and statement ('' counts respondents). */
export async function waveTotals(db: Executor, waveIds: readonly string[]) {
  if (waveIds.length === 0) return [];
  return db
    .selectFrom('trust_results')
    .select(['wave_id', 'district', 'item', 'answers', 'score_sum'])
    .where('wave_id', 'in', waveIds)
    .execute();
}
