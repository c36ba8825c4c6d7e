import { expect } from 'chai';
import fc from 'fast-check';
import { splitWindow } from '../../server/features/officers/earlyIntervention.windows.js';

// Early intervention counts a window [since, until] from per-day counts (whole UTC days) and the
// allegations themselves (the partial first day). Every instant of the window must fall in exactly
// one of the two, and the part read from the allegations must be less than a day long.

const DAY = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('early intervention windows: whole days and a partial first day', () => {
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  // Window starts at a day's start as often as not (a month before midnight is common).
  const start = fc.oneof(
    instant,
    instant.map((t) => Math.floor(t / DAY) * DAY),
  );

  it('puts every instant of the window in exactly one part, and nothing before it in either', () => {
    fc.assert(
      fc.property(
        start,
        fc.integer({ min: 0, max: 800 * DAY }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (since, length, at) => {
          const until = since + length;
          const w = splitWindow(new Date(since), new Date(until));
          const inDays = (t: number) => dayOf(t) >= w.fromDay && dayOf(t) < w.toDay;
          const inPartial = (t: number) =>
            w.partial.some((p) => t >= p.from.getTime() && (p.inclusive ? t <= p.to.getTime() : t < p.to.getTime()));
          for (const t of [since, until, Math.floor(since + (until - since) * at)]) {
            expect(Number(inDays(t)) + Number(inPartial(t)), new Date(t).toISOString()).to.equal(1);
          }
          expect(inDays(since - 1) || inPartial(since - 1)).to.equal(false);
          const raw = w.partial.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0);
          expect(raw).to.be.below(DAY);
        },
      ),
    );
  });
});
