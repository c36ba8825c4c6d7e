import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { allCategories, allDistricts } from '../../platform/reference/reference.repository.js';
import { agencyToday } from '../surveys/trustWave.model.js';
import { RESPONSE_MEASURES, rollupRows, rollupSpan } from './transparency.repository.js';
import { closedWaveTotals } from './trustResults.service.js';
import {
  columnsOf,
  CONTENT_TYPES,
  SUMMARY_DATASETS,
  type OpenDataDownload,
  type OpenDataFormat,
  type SummaryName,
} from './openData.schemas.js';
import { csvFile, jsonFile, recommendationRows, responseRows, trustRows } from './openData.summaries.js';
import type { TrackerEntry } from '../recommendations/recommendationTracker.service.js';
import type { StatisticsService } from './statistics.service.js';

/** A summary dataset's figures: when they were built (undefined when not known), and its rows. */
interface Figures {
  lastUpdated: Date | undefined;
  rows: ReadonlyArray<Record<string, string | number>>;
}

/**
 * The summary datasets' downloads (#19 part 6): the department's responses and the community
 * trust survey, read from what the statistics refresh (`stats_rollup`) and the answers' transaction
 * (`trust_results`) keep, a few rows a month or a wave: never the cases or the answers. Small
 * enough to build whole per request.
 */
export function summaryDownloads(deps: {
  db: Db;
  statistics: Pick<StatisticsService, 'lastUpdated'>;
  clock: Clock;
  timeZone: string;
  /** The adopted recommendations as the public tracker has them (the recommendations feature). */
  recommendations: () => Promise<readonly TrackerEntry[]>;
}) {
  const { db } = deps;
  const figures: Record<SummaryName, () => Promise<Figures>> = {
    async responses() {
      const lastUpdated = await deps.statistics.lastUpdated();
      const span = await rollupSpan(db);
      const range = span && { from: span.first, to: span.last };
      const rollups = range ? await rollupRows(db, range, RESPONSE_MEASURES) : [];
      const categories = (await allCategories(db)).map((c) => c.code);
      return { lastUpdated, rows: responseRows(rollups, categories) };
    },
    // The totals of a wave that is over no longer change; a wave closing adds rows.
    async trust() {
      const { waves, totals } = await closedWaveTotals(db, agencyToday(deps.clock, deps.timeZone));
      const districts = (await allDistricts(db)).map((d) => d.code);
      return { lastUpdated: undefined, rows: trustRows(waves, totals, districts) };
    },
    // Read as the tracker reads them, at the moment of the request.
    async recommendations() {
      return { lastUpdated: undefined, rows: recommendationRows(await deps.recommendations(), deps.timeZone) };
    },
  };

  return {
    /** A summary dataset as a whole file. */
    async summary(name: SummaryName, format: OpenDataFormat): Promise<OpenDataDownload> {
      const dataset = SUMMARY_DATASETS.find((d) => d.name === name)!;
      const { lastUpdated, rows } = await figures[name]();
      const text = format === 'csv' ? csvFile(columnsOf(dataset.row), rows) : jsonFile(lastUpdated, rows);
      return {
        lastUpdated,
        filename: `${name}.${format}`,
        contentType: CONTENT_TYPES[format],
        chunks: (async function* () {
          yield text;
        })(),
      };
    },
  };
}
