import { expect } from 'chai';
import fc from 'fast-check';
import {
  trustResultsModel,
  type TrustLabels,
  type TrustTotal,
  type TrustWaveTotals,
} from '../../server/features/transparency/trustResults.model.js';
import { TRUST_ITEMS } from '../../server/features/surveys/trustSurvey.bank.js';
import type { CountCell, Figure } from '../../server/features/transparency/dashboard.cells.js';

const FEWER = 'fewer than 5';
const NOT_SHOWN = 'not shown';
const NOT_ASKED = 'not asked';
const DISTRICTS = ['north', 'south', 'retired'];
const WAVE_IDS = ['w1', 'w2', 'w3'];

const LABELS: TrustLabels = {
  fewerThanFive: FEWER,
  notShown: NOT_SHOWN,
  notAsked: NOT_ASKED,
  unknownDistrict: 'District not given',
  number: (n) => String(n),
  decimal: (n) => n.toFixed(1),
  districts: DISTRICTS.map((code) => ({ code, name: `Name of ${code}`, listed: code !== 'retired' })),
  items: TRUST_ITEMS.map((code) => ({ code, name: `Statement ${code}` })),
  waveDates: (w) => `${w.opensOn} to ${w.closesOn}`,
};

/** A count cell obeys the small-cell rule for its raw count. */
function expectCount(cell: CountCell, raw: number) {
  if (raw >= 1 && raw <= 4) {
    expect(cell).to.deep.equal({ suppressed: true, value: null, text: FEWER });
  } else {
    expect(cell.suppressed).to.equal(false);
    expect(cell.value! % 5, `count ${raw} shown as ${cell.value}`).to.equal(0);
    expect(Math.abs(cell.value! - raw)).to.be.at.most(2.5);
    expect(cell.text).to.equal(String(cell.value));
  }
}

/** An average is shown only over at least 5 answers, within 1–5, else "not shown". */
function expectAverage(cell: Figure, answers: number, scoreSum: number) {
  if (answers < 5) {
    expect(cell).to.deep.equal({ value: null, text: NOT_SHOWN });
  } else {
    expect(cell.value).to.equal(Math.round((scoreSum / answers) * 10) / 10);
    expect(cell.value).to.be.within(1, 5);
  }
}

/** Waves with some statements each, and totals consistent with 1–5 scores: each answer 1 to 5 points. */
const scenario = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom(...WAVE_IDS),
      opensOn: fc.constantFrom('2025-03-01', '2025-09-01', '2026-03-01', '2026-09-01'),
      items: fc.subarray([...TRUST_ITEMS], { minLength: 1 }),
    }),
    { selector: (w) => w.id, minLength: 1, maxLength: 3 },
  )
  .chain((waves) =>
    fc
      .array(
        fc
          .record({
            wave: fc.constantFrom(...waves),
            district: fc.constantFrom(...DISTRICTS, 'unknown', 'unnamed'),
            item: fc.constantFrom('', ...TRUST_ITEMS),
            answers: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 200 })),
          })
          .chain((t) =>
            fc.integer({ min: t.answers, max: 5 * t.answers }).map((scoreSum): TrustTotal => ({
              waveId: t.wave.id,
              district: t.district,
              item: t.item,
              answers: t.answers,
              scoreSum: t.item === '' ? 0 : scoreSum,
            })),
          ),
        { maxLength: 60 },
      )
      .map((totals) => {
        // One row per key, as the table's primary key guarantees.
        const byKey = new Map(totals.map((t) => [`${t.waveId}|${t.district}|${t.item}`, t]));
        const shaped: TrustWaveTotals[] = waves.map((w) => ({ ...w, closesOn: w.opensOn.replace('-01', '-28') }));
        return { waves: shaped, totals: [...byKey.values()] };
      }),
  );

const sum = (totals: readonly TrustTotal[], match: (t: TrustTotal) => boolean) =>
  totals.filter(match).reduce((acc, t) => ({ answers: acc.answers + t.answers, scoreSum: acc.scoreSum + t.scoreSum }), {
    answers: 0,
    scoreSum: 0,
  });

describe('community trust survey results (#19 part 4): the small-cell rule', () => {
  it('shows every count rounded to 5 or withheld below 5, and every average only over 5 answers or more', () => {
    fc.assert(
      fc.property(scenario, ({ waves, totals }) => {
        const view = trustResultsModel(waves, totals, LABELS);
        const ordered = [...waves].sort((a, b) => a.opensOn.localeCompare(b.opensOn));
        expect(view.waves.map((w) => w.id)).to.deep.equal(ordered.map((w) => w.id));
        for (const [i, wave] of ordered.entries()) {
          expectCount(view.waves[i]!.respondents, sum(totals, (t) => t.waveId === wave.id && t.item === '').answers);
          for (const item of view.items) {
            const cell = item.cells[i]!;
            if (!wave.items.includes(item.code)) expect(cell).to.deep.equal({ value: null, text: NOT_ASKED });
            else {
              const s = sum(totals, (t) => t.waveId === wave.id && t.item === item.code);
              expectAverage(cell, s.answers, s.scoreSum);
            }
          }
        }
        const latest = ordered.at(-1)!;
        const byDistrict = view.districts!;
        expect(byDistrict.items.map((i) => i.code)).to.deep.equal(TRUST_ITEMS.filter((c) => latest.items.includes(c)));
        for (const [d, district] of byDistrict.districts.entries()) {
          const here = (t: TrustTotal) => t.waveId === latest.id && t.district === district.key;
          expectCount(district.respondents, sum(totals, (t) => here(t) && t.item === '').answers);
          for (const item of byDistrict.items) {
            const s = sum(totals, (t) => here(t) && t.item === item.code);
            expectAverage(item.cells[d]!, s.answers, s.scoreSum);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists the listed districts, then any other that answered, with "not given" last', () => {
    const wave = { id: 'w1', opensOn: '2026-03-01', closesOn: '2026-03-31', items: ['respect'] };
    const view = trustResultsModel(
      [wave],
      [
        { waveId: 'w1', district: 'unknown', item: '', answers: 7, scoreSum: 0 },
        { waveId: 'w1', district: 'zeta', item: '', answers: 2, scoreSum: 0 },
        { waveId: 'w1', district: 'north', item: 'respect', answers: 6, scoreSum: 24 },
      ],
      LABELS,
    );
    expect(view.districts!.districts.map((d) => [d.label, d.respondents.text])).to.deep.equal([
      ['Name of north', '0'],
      ['Name of south', '0'],
      ['zeta', FEWER],
      ['District not given', '5'],
    ]);
    expect(view.districts!.items[0]!.cells.map((c) => c.text)).to.deep.equal(['4.0', NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]);
  });

  it('has nothing to show before any wave is over', () => {
    expect(trustResultsModel([], [], LABELS)).to.deep.equal({ waves: [], items: [] });
  });
});
