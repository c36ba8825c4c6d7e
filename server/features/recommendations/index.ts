import type { Platform } from '../../platform/index.js';
import { recommendationService } from './recommendation.service.js';
import { recommendationVoteService } from './recommendationVote.service.js';
import { recommendationTrackerService } from './recommendationTracker.service.js';

/** Policy recommendations (#19): drafted by staff, adopted by the board, answered by the department, tracked in public. */
export function recommendationsFeature(p: Platform) {
  const { recommendations, votes } = recommendationsAt(p, p.clock);
  return {
    recommendations,
    recommendationVotes: votes,
    recommendationTracker: recommendationTrackerService({
      db: p.db,
      clock: p.clock,
      timeZone: p.config.agencyTimeZone,
    }),
  };
}

/** The drafting and voting services on another clock (the demo records its recommendations in the past). */
export function recommendationsAt(p: Platform, clock: Platform['clock']) {
  const { db, audit } = p;
  return {
    recommendations: recommendationService({ db, audit, clock, timeZone: p.config.agencyTimeZone }),
    votes: recommendationVoteService({ db, audit, deadlines: p.deadlines, clock }),
  };
}
