// The community trust survey's results as the dashboard shows them (#19 part 4). Pure: the waves,
// their totals and the reader's labels in, a view model out. Every count leaves through countCell
// (showCount) and every average through showAverage: nothing raw reaches the page.

import { showAverage } from '../../domain/suppression.js';
import {
  countCell,
  figure,
  type CountCell,
  type DashboardLabels,
  type Figure,
  type ReferenceName,
} from './dashboard.cells.js';

/** The statement code of a district's count of respondents. */
const RESPONDENTS = '';
const UNKNOWN = 'unknown';

export interface TrustWaveTotals {
  id: string;
  opensOn: string;
  closesOn: string;
  /** The statements the wave asked, in the order asked. */
  items: readonly string[];
}

export interface TrustTotal {
  waveId: string;
  district: string;
  item: string;
  answers: number;
  scoreSum: number;
}

export type TrustLabels = Pick<DashboardLabels, 'fewerThanFive' | 'notShown' | 'number' | 'decimal'> & {
  notAsked: string;
  unknownDistrict: string;
  /** The districts in display order; listed ones appear even with no answers. */
  districts: readonly ReferenceName[];
  /** The bank's statements in their order, with the reader's text. */
  items: ReadonlyArray<{ code: string; name: string }>;
  waveDates(wave: { opensOn: string; closesOn: string }): string;
};

export interface TrustResultsView {
  /** Oldest first: the columns of the table over waves. */
  waves: Array<{ id: string; label: string; respondents: CountCell }>;
  /** Each statement asked in any wave shown, in the bank's order, with its average in each wave. */
  items: Array<{ code: string; label: string; cells: Figure[] }>;
  /** The latest wave by district: a column per district, a row per statement it asked. */
  districts?: {
    label: string;
    districts: Array<{ key: string; label: string; respondents: CountCell }>;
    items: Array<{ code: string; label: string; cells: Figure[] }>;
  };
}

type Sums = { answers: number; scoreSum: number };
const keyOf = (...parts: string[]) => parts.join('\u001f');

/** The results of the given waves (any order) from their totals. */
export function trustResultsModel(
  waves: readonly TrustWaveTotals[],
  totals: readonly TrustTotal[],
  labels: TrustLabels,
): TrustResultsView {
  const ordered = [...waves].sort((a, b) => (a.opensOn < b.opensOn ? -1 : a.opensOn > b.opensOn ? 1 : 0));
  const byWave = new Map<string, Sums>();
  const byDistrict = new Map<string, Sums>();
  for (const t of totals) {
    if (!(t.answers > 0)) continue;
    for (const [map, key] of [
      [byWave, keyOf(t.waveId, t.item)],
      [byDistrict, keyOf(t.waveId, t.district, t.item)],
    ] as const) {
      const sums = map.get(key) ?? { answers: 0, scoreSum: 0 };
      map.set(key, { answers: sums.answers + t.answers, scoreSum: sums.scoreSum + t.scoreSum });
    }
  }
  const count = (sums: Sums | undefined) => countCell(sums?.answers ?? 0, labels);
  const average = (sums: Sums | undefined) =>
    figure(showAverage(sums?.scoreSum ?? 0, sums?.answers ?? 0), labels.decimal, labels);

  const asked = new Set(ordered.flatMap((w) => w.items));
  const items = labels.items
    .filter((item) => asked.has(item.code))
    .map((item) => ({
      code: item.code,
      label: item.name,
      cells: ordered.map((w) =>
        w.items.includes(item.code)
          ? average(byWave.get(keyOf(w.id, item.code)))
          : { value: null, text: labels.notAsked },
      ),
    }));

  const latest = ordered.at(-1);
  return {
    waves: ordered.map((w) => ({
      id: w.id,
      label: labels.waveDates(w),
      respondents: count(byWave.get(keyOf(w.id, RESPONDENTS))),
    })),
    items,
    ...(latest ? { districts: districtsOf(latest, byDistrict, labels, count, average) } : {}),
  };
}

function districtsOf(
  wave: TrustWaveTotals,
  byDistrict: ReadonlyMap<string, Sums>,
  labels: TrustLabels,
  count: (sums: Sums | undefined) => CountCell,
  average: (sums: Sums | undefined) => Figure,
): NonNullable<TrustResultsView['districts']> {
  const answered = (code: string) => byDistrict.has(keyOf(wave.id, code, RESPONDENTS));
  const known = new Set(labels.districts.map((d) => d.code));
  const others = [...byDistrict.keys()]
    .map((key) => key.split('\u001f'))
    .filter(([id, code, item]) => id === wave.id && item === RESPONDENTS && !known.has(code!))
    .map(([, code]) => code!)
    .sort((a, b) => (a === UNKNOWN ? 1 : b === UNKNOWN ? -1 : a.localeCompare(b)));
  const districts = [
    ...labels.districts.filter((d) => d.listed || answered(d.code)).map((d) => ({ key: d.code, label: d.name })),
    ...others.map((code) => ({ key: code, label: code === UNKNOWN ? labels.unknownDistrict : code })),
  ];
  return {
    label: labels.waveDates(wave),
    districts: districts.map((d) => ({ ...d, respondents: count(byDistrict.get(keyOf(wave.id, d.key, RESPONDENTS))) })),
    items: labels.items
      .filter((item) => wave.items.includes(item.code))
      .map((item) => ({
        code: item.code,
        label: item.name,
        cells: districts.map((d) => average(byDistrict.get(keyOf(wave.id, d.key, item.code)))),
      })),
  };
}
