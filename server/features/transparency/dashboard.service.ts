import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { allCategories, allDistricts } from '../../platform/reference/reference.repository.js';
import {
  MEASURES,
  RESPONSE_MEASURES,
  rollupRows,
  rollupSpan,
  rollupTotals,
  rollupYears,
  type SurveyQuestion,
} from './transparency.repository.js';
import { localeOf, type Language, type Translator } from '../../platform/i18n.js';
import { FINDINGS } from '../cases/caseFile.schemas.js';
import { DISCIPLINES } from '../../domain/vocabulary.js';
import type { TrackerEntry } from '../recommendations/recommendationTracker.service.js';
import {
  DEFAULT_MONTHS,
  addMonths,
  annualReportModel,
  dashboardView,
  rollupBounds,
  type AnnualReportModel,
  type DashboardLabels,
  type DashboardView,
  type MonthRange,
} from './dashboard.model.js';

/**
 * Complaints received are shown month by month and the department's responses by year, so both
 * are read a month at a time; every other figure is over the whole range (the survey's by prefix).
 */
const MONTHLY_MEASURES: readonly string[] = [MEASURES.received, ...RESPONSE_MEASURES];
const RANGE_MEASURES = Object.values(MEASURES).filter((m) => !MONTHLY_MEASURES.includes(m));

/** The years a report can be asked for; anything else is not a report. */
export const REPORT_YEARS = { first: 1900, last: 2199 } as const;

export type DashboardService = ReturnType<typeof dashboardService>;

/**
 * The public dashboard and the annual reports. They read only the rollups the statistics refresh
 * wrote (never the cases), name categories and districts in the reader's language, and leave every
 * number to dashboard.model.ts, which applies the small-cell rule.
 */
export function dashboardService(deps: {
  db: Db;
  translator: Translator;
  statistics: { recentlyUpdated(): Promise<Date | undefined> };
  timeZone: string;
  clock: Clock;
  /** The policy recommendations adopted in a year, as the public tracker has them (#19). */
  recommendationsOfYear: (year: number, language: Language) => Promise<readonly TrackerEntry[]>;
}) {
  const now = deps.clock;

  const monthFormat = new Intl.DateTimeFormat('en-US', { timeZone: deps.timeZone, year: 'numeric', month: '2-digit' });
  /** The month it is now where the agency is, 'YYYY-MM'. */
  const currentMonth = () => {
    const parts = monthFormat.formatToParts(now());
    return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
  };

  async function labels(language: Language): Promise<DashboardLabels> {
    const t = deps.translator.t(language);
    const names = { categories: await allCategories(deps.db), districts: await allDistricts(deps.db) };
    const name = (row: { name_en: string; name_es: string }) => (language === 'es' ? row.name_es : row.name_en);
    const collator = new Intl.Collator(localeOf(language));
    const format = (options: Intl.DateTimeFormatOptions) => {
      const formatter = new Intl.DateTimeFormat(localeOf(language), { ...options, timeZone: 'UTC' });
      return (month: string) => formatter.format(new Date(`${month}-15T12:00:00Z`));
    };
    const integer = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 0 });
    const decimal = new Intl.NumberFormat(localeOf(language), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return {
      categories: names.categories.map((c) => ({ code: c.code, name: name(c), listed: c.active })),
      districts: names.districts
        .map((d) => ({ code: d.code, name: name(d), listed: d.active }))
        .sort((a, b) => collator.compare(a.name, b.name)),
      findings: FINDINGS.map((code) => ({ code, name: t(`finding.${code}`), listed: true })),
      disciplines: DISCIPLINES.map((code) => ({ code, name: t(`responses.discipline.${code}`), listed: true })),
      unknownDistrict: t('dashboard.districts.unknown'),
      fewerThanFive: t('dashboard.fewerThanFive'),
      notShown: t('dashboard.notShown'),
      month: format({ month: 'long', year: 'numeric' }),
      monthShort: format({ month: 'short', year: 'numeric' }),
      monthOfYear: format({ month: 'long' }),
      number: (n) => integer.format(n),
      decimal: (n) => decimal.format(n),
      percent: (n) => t('dashboard.percent', { value: integer.format(n) }),
      days: (n) => t('dashboard.days', { count: n }),
      surveyQuestion: (question: SurveyQuestion) => t(`survey.question.${question}`),
    };
  }

  const rowsOf = async (range: MonthRange) => {
    const bounds = rollupBounds(range);
    const [monthly, totals] = await Promise.all([
      rollupRows(deps.db, bounds, MONTHLY_MEASURES),
      rollupTotals(deps.db, bounds, RANGE_MEASURES),
    ]);
    return [...monthly, ...totals];
  };

  return {
    currentMonth,

    /** The last 12 months, up to and including this one: what /dashboard shows when no range is asked for. */
    defaultRange(): MonthRange {
      const to = currentMonth();
      return { from: addMonths(to, -(DEFAULT_MONTHS - 1)), to };
    },

    lastUpdated: () => deps.statistics.recentlyUpdated(),

    /** The dashboard of a range already checked (at most 36 months, from ≤ to). */
    async dashboard(range: MonthRange, language: Language): Promise<DashboardView> {
      return dashboardView(await rowsOf(range), range, await labels(language));
    },

    /** The years with any statistics, latest first. */
    reportYears: () => rollupYears(deps.db),

    /**
     * A year's report: January to December (to this month for the year under way), compared with
     * the same months of the year before when the statistics reach back to it. Undefined for a
     * year without statistics.
     */
    async annualReport(
      year: number,
      language: Language,
    ): Promise<(AnnualReportModel & { recommendations: readonly TrackerEntry[] }) | undefined> {
      if (!Number.isInteger(year) || year < REPORT_YEARS.first || year > REPORT_YEARS.last) return undefined;
      const span = await rollupSpan(deps.db);
      if (!span || year < Number(span.first.slice(0, 4)) || year > Number(span.last.slice(0, 4))) return undefined;
      const thisMonth = currentMonth();
      const range = { from: `${year}-01`, to: `${year}-12` < thisMonth ? `${year}-12` : thisMonth };
      if (range.to < range.from) return undefined;
      const rows = await rowsOf(range);
      if (rows.length === 0) return undefined;
      const previousRange = { from: addMonths(range.from, -12), to: addMonths(range.to, -12) };
      const hasPrevious = year - 1 >= Number(span.first.slice(0, 4));
      const model = annualReportModel(
        { year, range, rows, ...(hasPrevious ? { previousRows: await rowsOf(previousRange) } : {}) },
        await labels(language),
      );
      return { ...model, recommendations: await deps.recommendationsOfYear(year, language) };
    },
  };
}
