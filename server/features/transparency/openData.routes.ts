import { describeError } from '../../platform/http/problems.js';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Config } from '../../platform/config.js';
import { localeOf, type Language } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import type { Services } from '../../compose.js';
import {
  OPEN_DATA_COLUMNS,
  SUPPRESSED,
  UNKNOWN_DISTRICT,
  type DictionaryEntry,
  type OpenDataDownload,
  type OpenDataFormat,
} from './openData.service.js';
import { SUMMARY_DATASETS } from './openData.schemas.js';
import { columnTexts, summarySections } from './openData.page.js';

/** "November 30, 2026 at 3:15 PM EST": in the agency's time zone, with the zone named. */
function updatedAt(at: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(at);
}

function zoneName(at: Date, language: Language, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(localeOf(language), { timeZone, timeZoneName: 'long' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** Waits until the response can take more, or is gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Sends the chunks as they come, waiting for 'drain' when the socket is full, and stops reading
 * (the iterator's return() ends the paging) as soon as the client has gone. A failure before the
 * first byte goes to the error page; after it, the response is cut off so the file is visibly
 * incomplete, and the process carries on.
 */
async function stream(req: Request, res: Response, chunks: AsyncIterable<string>): Promise<void> {
  const log = (req as Request & { log?: Logger }).log;
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.on('close', onClose);
  try {
    for await (const chunk of chunks) {
      if (gone || res.destroyed) break;
      if (!res.write(chunk)) await drained(res);
      if (gone || res.destroyed) break;
    }
    if (gone || res.destroyed) log?.info('open data download ended by the client');
    else res.end();
  } catch (error) {
    if (!res.headersSent) {
      for (const header of ['Content-Disposition', 'Content-Type', 'Last-Modified']) res.removeHeader(header);
      throw error;
    }
    log?.error({ err: describeError(error, { withMessage: false }) }, 'open data download failed midway');
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'openData'>;

/**
 * The open data (R20 downloads: attachment, nosniff) and its data dictionary. Rows come only from
 * the statistics refresh's generalised table, never from the cases.
 */
export function openDataRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { openData } = services;
  const timeZone = config.agencyTimeZone;

  router.get('/data', async (req, res) => {
    const dictionary = await openData.dictionary(req.language);
    const { lastUpdated } = dictionary;
    const t = req.t;
    const suppressed = { code: SUPPRESSED, text: t('openData.suppressedValue') };
    const named = (entries: DictionaryEntry[]) =>
      entries.map((e) => ({ code: e.code, text: e.active ? e.name : t('openData.noLongerUsed', { name: e.name }) }));
    const explained = (codes: readonly string[], prefix: string) =>
      codes.map((code) => ({ code, text: t(`openData.${prefix}.${code}`) }));
    const table = (key: string, textHeading: string, rows: Array<{ code: string; text: string }>) => ({
      heading: t(`openData.${key}Heading`),
      caption: t(`openData.${key}Caption`),
      codeHeading: t(key === 'bands' ? 'openData.range' : 'openData.code'),
      textHeading: t(textHeading),
      rows: [...rows, suppressed],
    });
    res.render('pages/data/dictionary.njk', {
      columns: columnTexts(t, 'openData.columns', OPEN_DATA_COLUMNS),
      datasets: summarySections(t),
      codeTables: [
        table('categories', 'openData.name', named(dictionary.categories)),
        table('districts', 'openData.name', [
          ...named(dictionary.districts),
          { code: UNKNOWN_DISTRICT, text: t('openData.unknownDistrict') },
        ]),
        table('findings', 'openData.meaning', explained(dictionary.findings, 'finding')),
        table('stages', 'openData.meaning', explained(dictionary.stages, 'stage')),
        table('bands', 'openData.meaning', explained(dictionary.bands, 'band')),
      ],
      rowsText: new Intl.NumberFormat(localeOf(req.language)).format(dictionary.rows),
      lastUpdatedText: lastUpdated ? updatedAt(lastUpdated, req.language, timeZone) : null,
      lastUpdatedIso: lastUpdated?.toISOString() ?? null,
      zone: zoneName(lastUpdated ?? new Date(), req.language, timeZone),
    });
  });

  const send = (open: () => Promise<OpenDataDownload>) => async (req: Request, res: Response) => {
    const file = await open();
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (file.lastUpdated) res.setHeader('Last-Modified', file.lastUpdated.toUTCString());
    // A HEAD request gets the headers only: reading a million rows to send none would be waste.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await stream(req, res, file.chunks);
  };
  for (const format of ['csv', 'json'] as const satisfies readonly OpenDataFormat[]) {
    router.get(
      `/data/complaints.${format}`,
      send(() => openData.download(format)),
    );
    for (const { name } of SUMMARY_DATASETS)
      router.get(
        `/data/${name}.${format}`,
        send(() => openData.summary(name, format)),
      );
  }

  return router;
}
