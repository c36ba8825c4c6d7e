import type { Db } from '../../platform/db/database.js';
import { openDataChunk } from './openData.repository.js';
import { allCategories, allDistricts } from '../../platform/reference/reference.repository.js';
import { openDataCount } from './transparency.repository.js';
import type { Language } from '../../platform/i18n.js';
import { FINDINGS } from '../cases/caseFile.schemas.js';
import { STAGES } from '../../../workflows/complaint.types.js';
import type { StatisticsService } from './statistics.service.js';
import type { Clock } from '../../platform/clock.js';
import { summaryDownloads } from './openDataSummaries.service.js';
import { CONTENT_TYPES, type OpenDataDownload, type OpenDataFormat } from './openData.schemas.js';

// The open data: one row per allegation, read only from `open_data_rows` (already de-identified and
// generalised by the statistics refresh). A download is produced page by page (keyset paging), so a
// million rows never sit in memory: the caller pulls the next chunk only when it has sent the last.

/** The columns of the files, in order. */
export const OPEN_DATA_COLUMNS = [
  'month_received',
  'category',
  'district',
  'finding',
  'days_to_close',
  'stage',
] as const;

export { SUPPRESSED, type OpenDataDownload, type OpenDataFormat } from './openData.schemas.js';
/** The district of a complaint with none recorded. */
export const UNKNOWN_DISTRICT = 'unknown';
/** The finding of an allegation not (or never) decided. */
export const NO_FINDING = 'none';
export const FINDING_CODES = [...FINDINGS, NO_FINDING] as const;
/** The bands of days from receipt to closing, as the statistics refresh writes them. */
export const DAY_BANDS = ['0-30', '31-90', '91-180', '181-365', 'over-365', 'open'] as const;
export const STAGE_CODES = STAGES;

/**
 * Rows per database read: each page's text (about 50 bytes a row in CSV, 135 in JSON) stays well
 * under V8's large-object size, so it dies young instead of piling up until a full collection.
 */
export const OPEN_DATA_PAGE_ROWS = { csv: 1_000, json: 500 } as const;

/** The statistics were refreshed while a download was being read: its rows would mix two versions. */
export class OpenDataChanged extends Error {
  constructor() {
    super('the open data was refreshed during the download');
    this.name = 'OpenDataChanged';
  }
}

export interface DictionaryEntry {
  code: string;
  name: string;
  /** False for a code no longer offered, still found on older complaints. */
  active: boolean;
}

export interface OpenDataDictionary {
  lastUpdated: Date | undefined;
  rows: number;
  categories: DictionaryEntry[];
  districts: DictionaryEntry[];
  findings: readonly string[];
  stages: readonly string[];
  bands: readonly string[];
}

/** The CSV's first line: the column names. */
export function csvHeader(): string {
  return `${OPEN_DATA_COLUMNS.join(',')}\r\n`;
}

export type OpenDataService = ReturnType<typeof openDataService>;

export function openDataService(deps: {
  db: Db;
  /** The refresh that builds the rows, for the time they were built. */
  statistics: Pick<StatisticsService, 'lastUpdated'>;
  clock: Clock;
  timeZone: string;
  recommendations: Parameters<typeof summaryDownloads>[0]['recommendations'];
}) {
  const { statistics } = deps;
  // The number of rows changes only with a refresh: counted once per refresh, not on every page view.
  let counted: { builtAt: number | undefined; rows: number } | undefined;
  const rowCount = async (builtAt: Date | undefined) => {
    if (!counted || counted.builtAt !== builtAt?.getTime()) {
      counted = { builtAt: builtAt?.getTime(), rows: await openDataCount(deps.db) };
    }
    return counted.rows;
  };
  const sameTime = (a: Date | undefined, b: Date | undefined) => a?.getTime() === b?.getTime();

  /**
   * Every row in order, a page of text at a time. Each page is checked, after it is read, against
   * the refresh time the download started with: a refresh in between may change the rows, so the
   * download fails rather than mixing two versions.
   */
  async function* pages(format: OpenDataFormat, builtAt: Date | undefined): AsyncGenerator<string> {
    const pageSize = OPEN_DATA_PAGE_ROWS[format];
    let after = '';
    for (;;) {
      const page = await openDataChunk(deps.db, format, after, pageSize);
      if (!sameTime(await statistics.lastUpdated(), builtAt)) throw new OpenDataChanged();
      if (!page) return;
      yield page.text;
      after = page.last;
    }
  }

  async function* csv(builtAt: Date | undefined): AsyncGenerator<string> {
    yield csvHeader();
    for await (const page of pages('csv', builtAt)) yield page;
  }

  async function* json(builtAt: Date | undefined): AsyncGenerator<string> {
    yield `{"lastUpdated":${JSON.stringify(builtAt?.toISOString() ?? null)},"rows":[`;
    let first = true;
    for await (const page of pages('json', builtAt)) {
      yield (first ? '\n' : ',\n') + page;
      first = false;
    }
    yield '\n]}\n';
  }

  const label = (
    entry: { code: string; name_en: string; name_es: string; active: boolean },
    language: Language,
  ): DictionaryEntry => ({
    code: entry.code,
    name: language === 'es' ? entry.name_es : entry.name_en,
    active: entry.active,
  });

  return {
    lastUpdated: () => statistics.lastUpdated(),

    /** The department's responses and the trust survey, each a whole file (#19 part 6). */
    ...summaryDownloads(deps),

    /** One download of the whole file, produced lazily. */
    async download(format: OpenDataFormat): Promise<OpenDataDownload> {
      const lastUpdated = await statistics.lastUpdated();
      return {
        lastUpdated,
        filename: `complaints.${format}`,
        contentType: CONTENT_TYPES[format],
        chunks: format === 'csv' ? csv(lastUpdated) : json(lastUpdated),
      };
    },

    /** What the data dictionary page explains, with the reference names in the reader's language. */
    async dictionary(language: Language): Promise<OpenDataDictionary> {
      const lastUpdated = await statistics.lastUpdated();
      const [rows, categories, districts] = await Promise.all([
        rowCount(lastUpdated),
        allCategories(deps.db),
        allDistricts(deps.db),
      ]);
      return {
        lastUpdated,
        rows,
        categories: categories.map((c) => label(c, language)),
        districts: districts.map((d) => label(d, language)),
        findings: FINDING_CODES,
        stages: STAGE_CODES,
        bands: DAY_BANDS,
      };
    },
  };
}
