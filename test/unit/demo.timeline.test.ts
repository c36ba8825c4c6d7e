import { expect } from 'chai';
import Holidays from 'date-holidays';
import { demoCasePlans, type Step } from '../../server/demo/demo.complaints.js';
import { demoTimeline } from '../../server/demo/demo.timeline.js';
import { badgeOf } from '../../server/platform/deadlines/deadlineBadge.js';
import type { DeadlineKind } from '../../workflows/complaint.machine.js';
import { advance, stageOf, startComplaint, type Effect } from '../../workflows/complaint.snapshot.js';
import type { ComplaintEvent } from '../../workflows/complaint.types.js';
import { DEFAULT_POLICIES, computeDue, type Calendar } from '../../workflows/deadline.policy.js';

const DAY = 86_400_000;
const calendar: Calendar = {
  timeZone: 'America/Los_Angeles',
  holidays: new Set(
    [2025, 2026, 2027, 2028].flatMap((year) =>
      new Holidays('US', 'CA')
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    ),
  ),
};
const PAYLOAD: Partial<Record<Step, object>> = {
  ASSIGN: { investigatorId: 'someone' },
  REFER: { agency: 'elsewhere' },
  DISMISS: { reason: 'no_jurisdiction' },
  TOLL: { reason: 'criminal_proceedings' },
  REOPEN: { reason: 'new evidence' },
};

interface Row {
  kind: DeadlineKind;
  due_at: Date;
  warnAt: Date | null;
  status: string;
  tolled_at: Date | null;
  done: boolean;
}

/** The effects of receipt and of each step, and the stage reached: the machine's, worked out once per path. */
function machineRun(steps: Step[], timeline: ReturnType<typeof demoTimeline>) {
  let { snapshot, effects } = startComplaint();
  const perStep = [effects];
  for (const [k, type] of steps.entries()) {
    const at = timeline.stepsAt[k]!;
    const until =
      type === 'BOARD_DECIDED' ? { reconsiderationUntil: new Date(at.getTime() + 30 * DAY).toISOString() } : {};
    const event = { type, ...PAYLOAD[type], ...until, at: at.toISOString() } as ComplaintEvent;
    ({ snapshot, effects } = advance(snapshot, event));
    perStep.push(effects);
  }
  return { perStep, stage: stageOf(snapshot) };
}

/** A demo case's clocks as the deadline service keeps them, then after the sweeper's first pass at `now`. */
function clocksOf(perStep: Effect[][], timeline: ReturnType<typeof demoTimeline>, now: Date): Row[] {
  const rows: Row[] = [];
  for (const [k, effects] of perStep.entries()) {
    const at = k === 0 ? timeline.receivedAt : timeline.stepsAt[k - 1]!;
    for (const effect of effects) {
      const running = rows.filter((r) => !r.done && ('kind' in effect ? r.kind === effect.kind : true));
      if (effect.type === 'startClock') {
        const due = computeDue(at, DEFAULT_POLICIES[effect.kind], calendar);
        rows.push({
          kind: effect.kind,
          due_at: due.dueAt,
          warnAt: due.warnAt,
          status: 'open',
          tolled_at: null,
          done: false,
        });
      } else if (effect.type === 'stopClock') {
        for (const r of running)
          Object.assign(r, { done: true, status: (r.tolled_at ?? at) >= r.due_at ? 'breached' : 'met' });
      } else if (effect.type === 'pauseClocks') {
        for (const r of running) if (!r.tolled_at) r.tolled_at = at;
      }
    }
  }
  for (const r of rows.filter((r) => !r.done && !r.tolled_at)) {
    if (now >= r.due_at) r.status = 'breached';
    else if (r.warnAt && now >= r.warnAt) r.status = 'warned';
  }
  return rows;
}

/**
 * Moments to make the demo at: each weekday at hours round the clock, both daylight-saving changes,
 * and the holidays a business-day clock skips (Thanksgiving, Christmas, New Year, the 4th observed).
 */
const NOWS = [
  ...[0, 1, 2, 3, 4, 5, 6].map((d) => new Date(Date.UTC(2026, 5, 1 + d, (d * 7) % 24, 30))),
  ...['2026-03-08T09:30Z', '2026-03-09T07:30Z', '2026-11-01T08:30Z', '2026-11-02T18:00Z'].map((t) => new Date(t)),
  ...['2026-11-27T16:00Z', '2026-12-24T20:00Z', '2026-12-28T07:59Z', '2027-01-01T12:00Z', '2026-07-06T15:00Z'].map(
    (t) => new Date(t),
  ),
];

describe('the demo’s timeline (#17 item 13)', () => {
  it('gives the same spread of deadline badges whenever the demo is made, the sweeper’s first pass included', () => {
    const plans = demoCasePlans().map((plan) => {
      const reference = demoTimeline(plan.steps, plan.pace, plan.spread, new Date(Date.UTC(2026, 5, 1)));
      return { ...plan, ...machineRun(plan.steps, reference) };
    });
    const tallies = new Set<string>();
    for (const now of NOWS) {
      const tally: Record<string, number> = { onTime: 0, dueSoon: 0, overdue: 0, tolled: 0, closed: 0 };
      for (const plan of plans) {
        const timeline = demoTimeline(plan.steps, plan.pace, plan.spread, now);
        const moments = [timeline.receivedAt, ...timeline.stepsAt].map((t) => t.getTime());
        expect(moments.every((t, i) => t < now.getTime() && (i === 0 || t > moments[i - 1]!))).to.equal(true);
        const rows = clocksOf(plan.perStep, timeline, now);
        const badge = badgeOf(plan.stage, rows, now);
        tally[badge ?? 'closed']!++;
        // An open case is late only by the clock running now: every stage before it was done in time.
        if (badge)
          expect(
            rows.filter((r) => r.done && r.status === 'breached'),
            plan.steps.join(),
          ).to.deep.equal([]);
      }
      tallies.add(JSON.stringify(tally));
    }
    expect(tallies.size, [...tallies].join('\n')).to.equal(1);
    const tally = JSON.parse([...tallies][0]!) as Record<string, number>;
    const open = plans.length - tally['closed']!;
    expect(tally['onTime']).to.be.at.least(open / 2);
    expect(tally['dueSoon']).to.be.within(3, open / 4);
    expect(tally['overdue']).to.be.within(2, open / 5);
  });
});
