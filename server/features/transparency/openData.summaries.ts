// The summary datasets' rows (#19 part 6): the dashboard's own figures, put in rows. Pure: the
// rollups or the trust totals in, rows out, through the very models the dashboard uses
// (responseFigures, trustResultsModel), so a file and the page can never differ, and every number
// leaves through the small-cell rule. Nothing here names an officer, a case or a person.

import type { RollupRow } from './transparency.repository.js';
import { DISCIPLINES } from '../../domain/vocabulary.js';
import { TRUST_ITEMS } from '../surveys/trustSurvey.bank.js';
import type { CountCell, Figure } from './dashboard.cells.js';
import { responseFigures, type ResponseLabels } from './dashboard.responses.js';
import { trustResultsModel, type TrustLabels, type TrustTotal, type TrustWaveTotals } from './trustResults.model.js';
import { ALL, SUPPRESSED, type RecommendationRow, type ResponseRow, type TrustRow } from './openData.schemas.js';
import type { TrackerEntry } from '../recommendations/recommendationTracker.service.js';
import { lastDayOf } from '../../../workflows/deadline.policy.js';
import { DateTime } from 'luxon';

/** A shown count or figure as the files write it: its value, or the marker when withheld. */
const valueOf = (cell: CountCell | Figure): number | typeof SUPPRESSED => cell.value ?? SUPPRESSED;

const MARKERS = { fewerThanFive: SUPPRESSED, notShown: SUPPRESSED, number: String, percent: String } as const;

const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));

/**
 * The department's responses by year, oldest first: how many it answered, concurred with or not
 * and the share, the discipline by category of allegation (and every category together), and the
 * responses overdue. `categories` are the category codes in display order.
 */
export function responseRows(rollups: readonly RollupRow[], categories: readonly string[]): ResponseRow[] {
  const labels: ResponseLabels = {
    ...MARKERS,
    categories: categories.map((code) => ({ code, name: code, listed: false })),
    disciplines: DISCIPLINES.map((code) => ({ code, name: code, listed: true })),
  };
  const years = [...new Set(rollups.filter((r) => r.count > 0).map((r) => String(r.month).slice(0, 4)))].sort();
  return years.flatMap((year) => {
    const f = responseFigures(rollups, new Set(MONTHS.map((m) => `${year}-${m}`)), labels);
    const row = (measure: ResponseRow['measure'], value: ResponseRow['value'], category = ALL, discipline = ALL) => ({
      year,
      measure,
      category,
      discipline,
      value,
    });
    const disciplines = (category: string, cells: readonly CountCell[]) =>
      cells.map((cell, i) => row('discipline', valueOf(cell), category, DISCIPLINES[i]));
    return [
      row('responded', valueOf(f.responded)),
      row('concurred', valueOf(f.concurred)),
      row('not_concurred', valueOf(f.notConcurred)),
      // A share of nothing is not a figure: no row in a year without a response.
      ...(f.responded.value === 0 ? [] : [row('concurrence_percent', valueOf(f.concurrence))]),
      ...disciplines(ALL, f.totals),
      ...f.byCategory.flatMap((c) => disciplines(c.key, c.cells)),
      row('overdue', valueOf(f.overdue)),
    ];
  });
}

/**
 * The community trust survey by wave, oldest first: for each statement the wave asked, the wave's
 * respondents and average agreement, then the same for each district with any respondent (codes
 * in order, 'unknown' last). `districts` are the district codes.
 */
export function trustRows(
  waves: readonly TrustWaveTotals[],
  totals: readonly TrustTotal[],
  districts: readonly string[],
): TrustRow[] {
  const labels: TrustLabels = {
    ...MARKERS,
    decimal: String,
    notAsked: SUPPRESSED,
    unknownDistrict: SUPPRESSED,
    districts: [...districts].sort().map((code) => ({ code, name: code, listed: false })),
    items: TRUST_ITEMS.map((code) => ({ code, name: code })),
    waveDates: () => '',
  };
  const ordered = [...waves].sort((a, b) => (a.opensOn < b.opensOn ? -1 : a.opensOn > b.opensOn ? 1 : 0));
  return ordered.flatMap((wave) => {
    const view = trustResultsModel(
      [wave],
      totals.filter((t) => t.waveId === wave.id),
      labels,
    );
    const row = (district: string, statement: string, respondents: CountCell, average: Figure): TrustRow => ({
      wave_start: wave.opensOn,
      wave_end: wave.closesOn,
      district,
      statement: statement as TrustRow['statement'],
      respondents: valueOf(respondents) as TrustRow['respondents'],
      average: valueOf(average),
    });
    const byDistrict = view.districts;
    return [
      ...view.items.map((item) => row(ALL, item.code, view.waves[0]!.respondents, item.cells[0]!)),
      ...(byDistrict?.districts ?? []).flatMap((d, i) =>
        byDistrict!.items.map((item) => row(d.key, item.code, d.respondents, item.cells[i]!)),
      ),
    ];
  });
}

// Spreadsheet formulas and RFC 4180 quoting, as the complaints' files do them in SQL.
const FORMULA_START = /^[-=+@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: defused when a spreadsheet would run it, quoted when it holds a comma, quote or line break. */
/** The adopted recommendations, oldest first, each with its vote and where it stands now. */
export function recommendationRows(entries: readonly TrackerEntry[], timeZone: string): RecommendationRow[] {
  const dayOf = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
  return [...entries].reverse().map((e) => ({
    reference: e.reference,
    adopted_on: dayOf(e.adoptedAt!),
    votes_for: e.decision?.votesFor ?? 0,
    votes_against: e.decision?.votesAgainst ?? 0,
    response_due_on: lastDayOf(e.responseDueAt!, timeZone),
    status: e.status!,
    status_since: e.statusSince ?? '',
    title_en: e.titles.en,
    title_es: e.titles.es,
  }));
}

export function csvField(value: string | number): string {
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: the header, then a line per row, each ending CRLF. */
export function csvFile(columns: readonly string[], rows: ReadonlyArray<Record<string, string | number>>): string {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? '')).join(','))];
  return lines.map((line) => `${line}\r\n`).join('');
}

/** A whole JSON file, shaped as the complaints' one: the time the figures were built, and the rows. */
export function jsonFile(lastUpdated: Date | undefined, rows: readonly object[]): string {
  const body = rows.map((r) => JSON.stringify(r)).join(',\n');
  return `{"lastUpdated":${JSON.stringify(lastUpdated?.toISOString() ?? null)},"rows":[${body ? `\n${body}\n` : ''}]}\n`;
}
