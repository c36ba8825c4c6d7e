import { expect } from 'chai';
import fc from 'fast-check';
import {
  MEASURES,
  SURVEY_QUESTIONS,
  type RollupRow,
} from '../../server/features/transparency/transparency.repository.js';
import { niceScale } from '../../server/features/transparency/dashboard.chart.js';
import {
  MAX_MONTHS,
  addMonths,
  annualReportModel,
  dashboardModel,
  dashboardView,
  monthAt,
  monthIndex,
  monthsOf,
  type DashboardLabels,
  type DashboardModel,
  type ReferenceName,
} from '../../server/features/transparency/dashboard.model.js';
import { showCount } from '../../server/domain/suppression.js';

const FEWER = 'fewer than 5';
const NOT_SHOWN = 'not shown';
const CATEGORIES = ['force', 'discourtesy', 'bias', 'search_seizure', 'retired_kind'];
const DISTRICTS = ['north', 'south', 'harbor', 'unknown', 'retired_district'];
const FINDINGS = ['sustained', 'not_sustained', 'exonerated', 'unfounded'];
const DISCIPLINES = ['none', 'written_reprimand', 'suspension', 'termination'];

const names = (codes: readonly string[], unlisted: readonly string[] = []): ReferenceName[] =>
  codes.map((code) => ({ code, name: `Name of ${code}`, listed: !unlisted.includes(code) }));

const LABELS: DashboardLabels = {
  categories: names(CATEGORIES, ['retired_kind']),
  districts: names(
    DISTRICTS.filter((d) => d !== 'unknown'),
    ['retired_district'],
  ),
  findings: names(FINDINGS),
  disciplines: names(DISCIPLINES),
  unknownDistrict: 'District not recorded',
  fewerThanFive: FEWER,
  notShown: NOT_SHOWN,
  month: (m) => `month ${m}`,
  monthShort: (m) => m,
  monthOfYear: (m) => `month-of-year ${m.slice(5)}`,
  number: (n) => String(n),
  decimal: (n) => n.toFixed(1),
  percent: (n) => `${n}%`,
  days: (n) => `${n} days`,
  surveyQuestion: (q) => `question ${q}`,
};

const BASE = monthIndex('2024-01');
const row = (month: string, measure: string, key: string, count: number): RollupRow => ({
  month: `${month}-01`,
  measure,
  key,
  count,
});

/** Random rollups over 48 months from January 2024: every measure, counts 0–60. */
const rollups = fc
  .array(
    fc.oneof(
      fc.record({ measure: fc.constant(MEASURES.received), key: fc.constant('') }),
      fc.record({ measure: fc.constant(MEASURES.district), key: fc.constantFrom(...DISTRICTS) }),
      fc.record({ measure: fc.constant(MEASURES.category), key: fc.constantFrom(...CATEGORIES) }),
      fc.record({ measure: fc.constant(MEASURES.finding), key: fc.constantFrom(...FINDINGS) }),
      fc.record({ measure: fc.constant(MEASURES.closedDays), key: fc.integer({ min: 0, max: 400 }).map(String) }),
      fc.record({ measure: fc.constant(MEASURES.investigationDeadline), key: fc.constantFrom('met', 'missed') }),
      fc.record({
        measure: fc.constantFrom(...SURVEY_QUESTIONS.map((q) => MEASURES.survey + q)),
        key: fc.integer({ min: 1, max: 5 }).map(String),
      }),
      fc.record({ measure: fc.constant(MEASURES.responseConcurred), key: fc.constantFrom('yes', 'no') }),
      fc.record({
        measure: fc.constant(MEASURES.responseDiscipline),
        key: fc
          .tuple(fc.constantFrom(...CATEGORIES, 'unnamed_kind'), fc.constantFrom(...DISCIPLINES))
          .map(([c, d]) => `${c}:${d}`),
      }),
      fc.record({ measure: fc.constant(MEASURES.responseOverdue), key: fc.constant('') }),
    ),
    { maxLength: 160 },
  )
  .chain((cells) =>
    fc.tuple(
      ...cells.map((cell) =>
        fc
          .record({ offset: fc.integer({ min: 0, max: 47 }), count: fc.integer({ min: 0, max: 60 }) })
          .map(({ offset, count }) => row(monthAt(BASE + offset), cell.measure, cell.key, count)),
      ),
    ),
  )
  // The rollup's primary key is (month, measure, key): one row each.
  .map((rows) => [...new Map(rows.map((r) => [`${r.month}|${r.measure}|${r.key}`, r])).values()]);

/** A range inside (or just around) the data: from ≤ to, at most 36 months. */
const range = fc
  .record({ start: fc.integer({ min: -3, max: 50 }), length: fc.integer({ min: 1, max: MAX_MONTHS }) })
  .map(({ start, length }) => ({ from: monthAt(BASE + start), to: monthAt(BASE + start + length - 1) }));

interface ShownLike {
  suppressed: boolean;
  value: number | null;
  text?: string;
}

/** Every shown count anywhere in a value: any object with a boolean `suppressed`. */
function shownCounts(value: unknown, found: ShownLike[] = []): ShownLike[] {
  if (Array.isArray(value)) for (const v of value) shownCounts(v, found);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['suppressed'] === 'boolean') found.push(o as unknown as ShownLike);
    for (const v of Object.values(o)) shownCounts(v, found);
  }
  return found;
}

/** The raw sizes of the groups behind each rate, average and percentile. */
function rawGroups(rows: readonly RollupRow[], months: readonly string[]) {
  const inRange = rows.filter((r) => months.includes(r.month.slice(0, 7)));
  const total = (measure: string, key?: string) =>
    inRange
      .filter((r) => r.measure === measure && (key === undefined || r.key === key))
      .reduce((a, r) => a + r.count, 0);
  return {
    closed: total(MEASURES.closedDays),
    met: total(MEASURES.investigationDeadline, 'met'),
    completed: total(MEASURES.investigationDeadline),
    sustained: total(MEASURES.finding, 'sustained'),
    decided: total(MEASURES.finding),
    received: total(MEASURES.received),
    survey: Object.fromEntries(SURVEY_QUESTIONS.map((q) => [q, total(MEASURES.survey + q)])),
    responded: total(MEASURES.responseConcurred),
    concurred: total(MEASURES.responseConcurred, 'yes'),
  };
}

const isSafeCount = (c: ShownLike) =>
  c.suppressed ? c.value === null : c.value !== null && (c.value === 0 || (c.value >= 5 && c.value % 5 === 0));

describe('dashboard model: the small-cell rule on everything it shows', () => {
  it('shows every count as 0, a multiple of 5 or "fewer than 5", and nothing whose difference is 1–4', () => {
    fc.assert(
      fc.property(rollups, range, range, (rows, first, second) => {
        const views = [dashboardView(rows, first, LABELS), dashboardView(rows, second, LABELS)];
        const all: number[] = [];
        for (const view of views) {
          const counts = shownCounts(view);
          expect(counts.length).to.be.greaterThan(0);
          for (const c of counts) {
            expect(isSafeCount(c), JSON.stringify(c)).to.equal(true);
            if ('text' in c) expect(c.text).to.equal(c.suppressed ? FEWER : String(c.value));
            if (c.value !== null) all.push(c.value);
          }
        }
        // Totals against their parts, one cell against another, the same cell under the other range.
        const values = [...new Set(all)];
        for (const a of values) for (const b of values) expect(Math.abs(a - b)).not.to.be.within(1, 4);
      }),
      { numRuns: 300 },
    );
  });

  it('shows rates, averages and percentiles only for groups of 5 or more', () => {
    fc.assert(
      fc.property(rollups, range, (rows, r) => {
        const model = dashboardModel(rows, r, LABELS);
        const raw = rawGroups(rows, monthsOf(r));
        const shownIff = (value: number | null, enough: boolean) =>
          expect(value === null, `${value} for a group ${enough ? '≥' : '<'} 5`).to.equal(!enough);
        shownIff(model.closing.median.value, raw.closed >= 5);
        shownIff(model.closing.p90.value, raw.closed >= 5);
        if (raw.completed < 5) expect(model.deadline.percent.value).to.equal(null);
        if (raw.met >= 1 && raw.met <= 4) expect(model.deadline.percent.value).to.equal(null);
        if (raw.decided < 5) expect(model.sustained.percent.value).to.equal(null);
        if (raw.sustained >= 1 && raw.sustained <= 4) expect(model.sustained.percent.value).to.equal(null);
        // The department's concurrence (#19): only over 5 or more responses, never from 1–4 concurring.
        if (raw.responded < 5) expect(model.responses.concurrence.value).to.equal(null);
        if (raw.concurred >= 1 && raw.concurred <= 4) expect(model.responses.concurrence.value).to.equal(null);
        for (const y of model.responses.years) if (y.responded.suppressed) expect(y.concurrence.value).to.equal(null);
        for (const s of model.survey) {
          shownIff(s.average.value, raw.survey[s.question]! >= 5);
          if (s.average.value !== null) expect(s.average.value).to.be.within(1, 5);
        }
        for (const f of [model.closing.median, model.closing.p90, model.deadline.percent, model.sustained.percent]) {
          if (f.value === null) expect(f.text).to.equal(NOT_SHOWN);
        }
        if (model.closing.median.value !== null && model.closing.p90.value !== null)
          expect(model.closing.median.value).to.be.at.most(model.closing.p90.value);
        expect(model.received.total.value).to.equal(showCount(raw.received).value);
      }),
      { numRuns: 300 },
    );
  });

  it('sums a range up with the model’s own cells, withheld exactly where the rule withholds them', () => {
    fc.assert(
      fc.property(rollups, range, (rows, r) => {
        const view = dashboardView(rows, r, LABELS);
        const { model } = view;
        const cells = {
          received: model.received.total,
          closed: model.closing.closed,
          median: model.closing.median,
          sustained: model.sustained.percent,
        };
        expect(view.summary.map((f) => f.key)).to.deep.equal(['received', 'closed', 'median', 'sustained']);
        for (const f of view.summary) {
          const cell = cells[f.key];
          const withheld = 'suppressed' in cell ? cell.suppressed : cell.value === null;
          expect(f.text, f.key).to.equal(cell.text);
          expect(f.shown, f.key).to.equal(!withheld);
          if (withheld) expect(f.text).to.be.oneOf([FEWER, NOT_SHOWN]);
          // The same figure as in the table of key figures.
          expect(view.tables.key.find((k) => k.key === f.key)!.cells).to.deep.equal([{ text: f.text, shown: f.shown }]);
        }
        for (const count of [cells.received, cells.closed])
          expect(isSafeCount(count), JSON.stringify(count)).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it('draws each bar from the shown count: suppressed is a mark, equal counts are equal bars', () => {
    fc.assert(
      fc.property(rollups, range, (rows, r) => {
        const model = dashboardModel(rows, r, LABELS);
        const sections = [model.received, model.categories, model.findings, model.districts] as const;
        for (const section of sections) {
          expect(section.chart.bars.length).to.equal(section.rows.length);
          const lengthOf = new Map<number, number>();
          section.chart.bars.forEach((bar, k) => {
            const count = section.rows[k]!.count;
            expect(bar.value).to.equal(count.value);
            expect(bar.suppressed).to.equal(count.suppressed);
            expect(bar.text).to.equal(count.text);
            if (bar.value === null) return;
            const length = section.chart.orientation === 'vertical' ? bar.height : bar.width;
            if (bar.value === 0) expect(length).to.equal(0);
            if (lengthOf.has(bar.value)) expect(length).to.equal(lengthOf.get(bar.value));
            lengthOf.set(bar.value, length);
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the annual report to the same rule, this year and last', () => {
    fc.assert(
      fc.property(rollups, fc.integer({ min: 2024, max: 2027 }), (rows, year) => {
        const report = annualReportModel(
          { year, range: { from: `${year}-01`, to: `${year}-12` }, rows, previousRows: rows },
          LABELS,
        );
        for (const c of shownCounts(report)) expect(isSafeCount(c), JSON.stringify(c)).to.equal(true);
        expect(report.tables.months).to.have.length(12);
        for (const r of [...report.tables.months, ...report.tables.categories, ...report.tables.districts])
          expect(r.cells).to.have.length(2);
      }),
      { numRuns: 100 },
    );
  });
});

describe('dashboard model: known figures', () => {
  const month = '2026-03';
  const single = { from: month, to: month };
  const model = (rows: RollupRow[]): DashboardModel => dashboardModel(rows, single, LABELS);

  it('takes the median and the 90th percentile of days to close from the histogram (nearest rank)', () => {
    // 10 cases: 3 closed in 10 days, 4 in 20, 2 in 30, 1 in 100. Rank 5 → 20 days; rank 9 → 30 days.
    const m = model([
      row(month, MEASURES.closedDays, '10', 3),
      row(month, MEASURES.closedDays, '20', 4),
      row(month, MEASURES.closedDays, '30', 2),
      row(month, MEASURES.closedDays, '100', 1),
    ]);
    expect(m.closing.closed).to.deep.equal({ suppressed: false, value: 10, text: '10' });
    expect(m.closing.median).to.deep.equal({ value: 20, text: '20 days' });
    expect(m.closing.p90).to.deep.equal({ value: 30, text: '30 days' });
    // Spread over two months of a range, the same histogram gives the same answer.
    const split = dashboardModel(
      [
        row('2026-02', MEASURES.closedDays, '10', 3),
        row('2026-03', MEASURES.closedDays, '20', 4),
        row('2026-03', MEASURES.closedDays, '30', 2),
        row('2026-02', MEASURES.closedDays, '100', 1),
      ],
      { from: '2026-02', to: '2026-03' },
      LABELS,
    );
    expect(split.closing.median.value).to.equal(20);
    expect(split.closing.p90.value).to.equal(30);
  });

  it('says "fewer than 5" closed and shows no percentile for 4 closed cases', () => {
    const m = model([row(month, MEASURES.closedDays, '12', 4)]);
    expect(m.closing.closed).to.deep.equal({ suppressed: true, value: null, text: FEWER });
    expect(m.closing.median).to.deep.equal({ value: null, text: NOT_SHOWN });
    expect(m.closing.p90.value).to.equal(null);
  });

  it('computes rates from the rounded counts: 7 sustained of 23 decided is 5 of 25, 20%', () => {
    const m = model([row(month, MEASURES.finding, 'sustained', 7), row(month, MEASURES.finding, 'unfounded', 16)]);
    expect(m.sustained.sustained.value).to.equal(5);
    expect(m.sustained.decided.value).to.equal(25);
    expect(m.sustained.percent).to.deep.equal({ value: 20, text: '20%' });
    expect(m.findings.total.value).to.equal(25);
    expect(m.findings.rows.find((r) => r.key === 'unfounded')!.count.value).to.equal(15);
    // 3 sustained of 20: the part is "fewer than 5", so the rate is not shown.
    const few = model([row(month, MEASURES.finding, 'sustained', 3), row(month, MEASURES.finding, 'unfounded', 17)]);
    expect(few.sustained.percent.value).to.equal(null);
    expect(few.findings.rows.find((r) => r.key === 'sustained')!.count.text).to.equal(FEWER);
  });

  it("shows the department's concurrence, discipline by category and overdue responses by year (#19)", () => {
    const m = model([
      row(month, MEASURES.responseConcurred, 'yes', 8),
      row(month, MEASURES.responseConcurred, 'no', 13),
      row(month, MEASURES.responseDiscipline, 'force:suspension', 9),
      row(month, MEASURES.responseDiscipline, 'force:none', 2),
      row(month, MEASURES.responseDiscipline, 'bias:termination', 10),
      row(month, MEASURES.responseOverdue, '', 3),
    ]);
    const r = m.responses;
    expect([r.responded.value, r.concurred.value]).to.deep.equal([20, 10]);
    expect(r.concurrence).to.deep.equal({ value: 50, text: '50%' });
    expect(r.overdue.text).to.equal(FEWER);
    expect(r.byCategory.map((c) => c.key)).to.deep.equal(['force', 'bias']);
    expect(r.byCategory[0]!.cells.map((c) => c.text)).to.deep.equal([FEWER, '0', '10', '0']);
    expect(r.columns).to.deep.equal(DISCIPLINES.map((d) => `Name of ${d}`));
    expect(r.totals.map((c) => c.text)).to.deep.equal([FEWER, '0', '10', '10']);
    expect(r.years).to.have.length(1);
    expect(r.years[0]).to.deep.include({ year: month.slice(0, 4), concurrence: { value: 50, text: '50%' } });
  });

  it('rounds the on-time share: 12 met of 13 is 10 of 15, 67%', () => {
    const m = model([
      row(month, MEASURES.investigationDeadline, 'met', 12),
      row(month, MEASURES.investigationDeadline, 'missed', 1),
    ]);
    expect(m.deadline.met.value).to.equal(10);
    expect(m.deadline.completed.value).to.equal(15);
    expect(m.deadline.percent.value).to.equal(67);
  });

  it('averages survey scores over 5 or more answers, and only counts fewer', () => {
    const m = model([
      row(month, 'survey_respect', '5', 1),
      row(month, 'survey_respect', '4', 2),
      row(month, 'survey_respect', '3', 1),
      row(month, 'survey_respect', '1', 1),
      row(month, 'survey_trust', '5', 4),
    ]);
    const respect = m.survey.find((s) => s.question === 'respect')!;
    expect(respect.average).to.deep.equal({ value: 3.4, text: '3.4' });
    expect(respect.responses.value).to.equal(5);
    const trust = m.survey.find((s) => s.question === 'trust')!;
    expect(trust.average.value).to.equal(null);
    expect(trust.responses.text).to.equal(FEWER);
    expect(m.survey.map((s) => s.question)).to.deep.equal([...SURVEY_QUESTIONS]);
  });

  it('lists every month of the range, the listed categories and districts, and names "unknown"', () => {
    const r = { from: '2025-11', to: '2026-02' };
    const m = dashboardModel(
      [
        row('2025-12', MEASURES.received, '', 9),
        row('2026-01', MEASURES.district, 'unknown', 6),
        row('2026-01', MEASURES.district, 'retired_district', 2),
        row('2026-01', MEASURES.category, 'force', 13),
        row('2027-01', MEASURES.received, '', 50),
      ],
      r,
      LABELS,
    );
    expect(m.received.rows.map((x) => x.key)).to.deep.equal(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(m.received.rows.map((x) => x.count.text)).to.deep.equal(['0', '10', '0', '0']);
    expect(m.received.total.value).to.equal(10);
    expect(m.districts.rows.map((x) => x.key)).to.deep.equal([
      'north',
      'south',
      'harbor',
      'retired_district',
      'unknown',
    ]);
    expect(m.districts.rows.at(-1)!.label).to.equal('District not recorded');
    expect(m.districts.rows.find((x) => x.key === 'retired_district')!.count.text).to.equal(FEWER);
    expect(m.categories.rows.map((x) => x.key)).to.deep.equal(['force', 'discourtesy', 'bias', 'search_seizure']);
    expect(m.hasData).to.equal(true);
    expect(dashboardModel([], r, LABELS).hasData).to.equal(false);
  });

  it('compares a year with the same months of the year before, by month of the year', () => {
    const report = annualReportModel(
      {
        year: 2026,
        range: { from: '2026-01', to: '2026-03' },
        rows: [row('2026-02', MEASURES.received, '', 11), row('2026-02', MEASURES.category, 'force', 11)],
        previousRows: [
          row('2025-02', MEASURES.received, '', 6),
          row('2025-03', MEASURES.district, 'unknown', 8),
          row('2025-12', MEASURES.received, '', 40),
        ],
      },
      LABELS,
    );
    expect(report.previous?.year).to.equal(2025);
    expect(report.previous?.model.range).to.deep.equal({ from: '2025-01', to: '2025-03' });
    expect(report.tables.months.map((r) => [r.key, ...r.cells.map((c) => c.text)])).to.deep.equal([
      ['01', '0', '0'],
      ['02', '10', '5'],
      ['03', '0', '0'],
    ]);
    expect(report.tables.received.map((c) => c.text)).to.deep.equal(['10', '5']);
    const unknown = report.tables.districts.find((r) => r.key === 'unknown')!;
    expect(unknown.cells.map((c) => c.text)).to.deep.equal(['0', '10']);
    const alone = annualReportModel({ year: 2026, range: { from: '2026-01', to: '2026-12' }, rows: [] }, LABELS);
    expect(alone.previous).to.equal(undefined);
    expect(alone.tables.months.every((r) => r.cells.length === 1)).to.equal(true);
  });

  it('counts months and scales axes', () => {
    expect(monthsOf({ from: '2023-12', to: addMonths('2023-12', MAX_MONTHS - 1) })).to.have.length(36);
    expect(addMonths('2026-01', -1)).to.equal('2025-12');
    expect(monthAt(monthIndex('1999-12'))).to.equal('1999-12');
    expect(niceScale(0)).to.deep.equal({ top: 5, step: 5 });
    expect(niceScale(5)).to.deep.equal({ top: 5, step: 5 });
    expect(niceScale(60)).to.deep.equal({ top: 60, step: 20 });
    expect(niceScale(1234).top).to.be.at.least(1234);
  });
});
