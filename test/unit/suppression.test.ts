import { expect } from 'chai';
import fc from 'fast-check';
import { showAverage, showCount, showPercentile, showRate } from '../../server/domain/suppression.js';

describe('the small-cell rule', () => {
  it('never shows 1 to 4, and rounds everything else to a multiple of 5', () => {
    expect([0, 1, 4, 5, 7, 8, 12, 13, 1002].map((n) => showCount(n).value)).to.deep.equal([
      0,
      null,
      null,
      5,
      5,
      10,
      10,
      15,
      1000,
    ]);
    expect(showCount(3)).to.deep.equal({ suppressed: true, value: null });
  });

  it('no shown count, nor any difference of two shown counts, lies in 1 to 4', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
        const [x, y] = [showCount(a), showCount(b)];
        for (const shown of [x, y]) if (!shown.suppressed) expect(shown.value % 5).to.equal(0);
        if (!x.suppressed && !y.suppressed) {
          const gap = Math.abs(x.value - y.value);
          expect(gap === 0 || gap >= 5).to.equal(true);
        }
      }),
    );
  });

  it('computes rates from the shown counts only, and nothing from groups below 5', () => {
    expect(showRate(3, 40)).to.equal(null);
    expect(showRate(6, 3)).to.equal(null);
    expect(showRate(0, 0)).to.equal(null);
    expect(showRate(0, 12)).to.equal(0);
    // 7 of 22 shows as 5 of 20: 25 %, not 32 %, so the rate gives away no more than the counts.
    expect(showRate(7, 22)).to.equal(25);
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), (part, extra) => {
        const rate = showRate(part, part + extra);
        const [top, bottom] = [showCount(part), showCount(part + extra)];
        if (top.suppressed || bottom.suppressed || bottom.value === 0) expect(rate).to.equal(null);
        else expect(rate).to.equal(Math.min(100, Math.round((top.value / bottom.value) * 100)));
      }),
    );
  });

  it('averages and percentiles only over 5 values or more', () => {
    expect(showAverage(16, 4)).to.equal(null);
    expect(showAverage(17, 5)).to.equal(3.4);
    const days = new Map([
      [10, 2],
      [20, 2],
    ]);
    expect(showPercentile(days, 0.5)).to.equal(null);
    days.set(90, 6);
    expect(showPercentile(days, 0.5)).to.equal(90); // 2 + 2 + 6 values: the 5th is 90
    expect(showPercentile(new Map([...days, [400, 10]]), 0.9)).to.equal(400);
    expect(showPercentile(new Map([...days, [400, 10]]), 0.5)).to.equal(90);
  });
});
