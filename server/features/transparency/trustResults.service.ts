import type { Clock } from '../../platform/clock.js';
import { formatDay } from '../../platform/dates.js';
import type { Db } from '../../platform/db/database.js';
import { localeOf, type Language, type Translator } from '../../platform/i18n.js';
import { allDistricts } from '../../platform/reference/reference.repository.js';
import { TRUST_ITEMS } from '../surveys/trustSurvey.bank.js';
import { agencyToday } from '../surveys/trustWave.model.js';
import { publishedWaves, waveTotals } from './trustResults.repository.js';
import {
  trustResultsModel,
  type TrustLabels,
  type TrustResultsView,
  type TrustTotal,
  type TrustWaveTotals,
} from './trustResults.model.js';

/** The waves the dashboard compares: a few years of waves run twice a year. */
export const PUBLISHED_WAVES = 6;

/** The waves over by `today` (the latest `limit`, or all) and their running totals, as the model takes them. */
export async function closedWaveTotals(
  db: Db,
  today: string,
  limit?: number,
): Promise<{ waves: TrustWaveTotals[]; totals: TrustTotal[] }> {
  const waves = await publishedWaves(db, today, limit);
  const totals = await waveTotals(
    db,
    waves.map((w) => w.id),
  );
  return {
    waves: waves.map((w) => ({ id: w.id, opensOn: w.opens_on, closesOn: w.closes_on, items: w.items })),
    totals: totals.map((r) => ({
      waveId: r.wave_id,
      district: r.district,
      item: r.item,
      answers: r.answers,
      scoreSum: r.score_sum,
    })),
  };
}

export type TrustResultsService = ReturnType<typeof trustResultsService>;

/**
 * The community trust survey's results for the dashboard (#19 part 4): waves that are over, from
 * their running totals, named in the reader's language, past the small-cell rule (the model).
 */
export function trustResultsService(deps: { db: Db; translator: Translator; clock: Clock; timeZone: string }) {
  async function labels(language: Language): Promise<TrustLabels> {
    const t = deps.translator.t(language);
    const collator = new Intl.Collator(localeOf(language));
    const integer = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 0 });
    const decimal = new Intl.NumberFormat(localeOf(language), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const districts = (await allDistricts(deps.db))
      .map((d) => ({ code: d.code, name: language === 'es' ? d.name_es : d.name_en, listed: d.active }))
      .sort((a, b) => collator.compare(a.name, b.name));
    return {
      fewerThanFive: t('dashboard.fewerThanFive'),
      notShown: t('dashboard.notShown'),
      notAsked: t('trustSurvey.results.notAsked'),
      unknownDistrict: t('trustSurvey.results.unknownDistrict'),
      number: (n) => integer.format(n),
      decimal: (n) => decimal.format(n),
      districts,
      items: TRUST_ITEMS.map((code) => ({ code, name: t(`trustSurvey.item.${code}`) })),
      waveDates: (wave) =>
        t('trustSurvey.results.waveDates', {
          from: formatDay(wave.opensOn, language),
          to: formatDay(wave.closesOn, language),
        }),
    };
  }

  return {
    /** The latest waves that are over, compared, and the latest by district; none before any wave closed. */
    async results(language: Language): Promise<TrustResultsView> {
      const { waves, totals } = await closedWaveTotals(
        deps.db,
        agencyToday(deps.clock, deps.timeZone),
        PUBLISHED_WAVES,
      );
      return trustResultsModel(waves, totals, await labels(language));
    },
  };
}
