import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Language } from '../../domain/vocabulary.js';
import { adoptedRecommendations, decisionsOf, updatesOf } from './recommendation.repository.js';
import {
  TRACKER_STATUSES,
  recommendationView,
  type RecommendationView,
  type TrackerStatus,
} from './recommendation.view.js';

export type RecommendationTrackerService = ReturnType<typeof recommendationTrackerService>;

export interface TrackerEntry extends RecommendationView {
  /** The year the board adopted it, in the agency's time zone. */
  year: number;
}

/**
 * The public tracker of policy recommendations (#19 part 3): every recommendation the board
 * adopted, where it stands (the department's response, then implementation) and its history, in
 * the reader's language. Nothing internal: no linked cases, no staff names. A few dozen a year, so
 * it reads them all and filters here.
 */
export function recommendationTrackerService(deps: { db: Db; clock: Clock; timeZone: string }) {
  const yearOf = (at: Date) => DateTime.fromJSDate(at, { zone: deps.timeZone }).year;

  async function all(language: Language): Promise<TrackerEntry[]> {
    const rows = await adoptedRecommendations(deps.db);
    const ids = rows.map((r) => r.id);
    const [updates, decisions] = await Promise.all([updatesOf(deps.db, ids), decisionsOf(deps.db, ids)]);
    const now = deps.clock();
    return rows.map((r) => ({
      ...recommendationView(r, updates, decisions, language, now),
      year: yearOf(r.adopted_at!),
    }));
  }

  return {
    statuses: TRACKER_STATUSES,

    /** The adopted recommendations, filtered by status and year adopted; the years and counts for the filters. */
    async list(filter: { status?: TrackerStatus; year?: number }, language: Language) {
      const entries = await all(language);
      const years = [...new Set(entries.map((e) => e.year))].sort((a, b) => b - a);
      const shown = entries.filter(
        (e) => (!filter.status || e.status === filter.status) && (!filter.year || e.year === filter.year),
      );
      return { entries: shown, years, total: entries.length };
    },

    /** One adopted recommendation by its reference, or undefined (a draft or a refused one is not public). */
    async detail(reference: string, language: Language): Promise<TrackerEntry | undefined> {
      return (await all(language)).find((e) => e.reference === reference);
    },

    /** The recommendations adopted in a year, for its annual report. */
    async ofYear(year: number, language: Language): Promise<TrackerEntry[]> {
      return (await all(language)).filter((e) => e.year === year);
    },
  };
}
