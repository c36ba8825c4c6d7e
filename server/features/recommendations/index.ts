import type { Platform } from '../../platform/index.js';
import { recommendationService } from './recommendation.service.js';
import { recommendationVoteService } from './recommendationVote.service.js';
import { recommendationTrackerService } from './recommendationTracker.service.js';

/** Policy recommendations (#19): drafted by staff, adopted by the board, answered by the department, tracked in public. */
export function recommendationsFeature(p: Platform) {
  const { db, audit, clock } = p;
  return {
    recommendations: recommendationService({ db, audit, clock, timeZone: p.config.agencyTimeZone }),
    recommendationVotes: recommendationVoteService({ db, audit, deadlines: p.deadlines, clock }),
    recommendationTracker: recommendationTrackerService({ db, clock, timeZone: p.config.agencyTimeZone }),
  };
}
