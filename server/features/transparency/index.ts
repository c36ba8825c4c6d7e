import type { Platform } from '../../platform/index.js';
import { dashboardService } from './dashboard.service.js';
import { openDataService } from './openData.service.js';
import { statisticsService } from './statistics.service.js';
import { trustResultsService } from './trustResults.service.js';

/** Transparency: the statistics rollups, the public dashboard and annual report, open data, the trust survey's results. */
export function transparencyFeature(
  p: Platform,
  published: {
    recommendations: Parameters<typeof openDataService>[0]['recommendations'];
    recommendationsOfYear: Parameters<typeof dashboardService>[0]['recommendationsOfYear'];
  },
) {
  const statistics = statisticsService({
    db: p.db,
    timeZone: p.config.agencyTimeZone,
    logger: p.logger,
    clock: p.clock,
  });
  return {
    statistics,
    openData: openDataService({
      db: p.db,
      statistics,
      clock: p.clock,
      timeZone: p.config.agencyTimeZone,
      recommendations: published.recommendations,
    }),
    dashboard: dashboardService({
      db: p.db,
      translator: p.translator,
      statistics,
      timeZone: p.config.agencyTimeZone,
      clock: p.clock,
      recommendationsOfYear: published.recommendationsOfYear,
    }),
    trustResults: trustResultsService({
      db: p.db,
      translator: p.translator,
      clock: p.clock,
      timeZone: p.config.agencyTimeZone,
    }),
  };
}
