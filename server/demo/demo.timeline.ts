import type { DeadlineKind } from '../../workflows/complaint.machine.js';
import { DEFAULT_POLICIES } from '../../workflows/deadline.policy.js';
import type { DispatchEvent } from '../platform/workflow/workflow.service.js';

/**
 * When each step of a demo case happened, so that the demo looks like a working office: every
 * step met the clock it ran on, and the clock running now (the one the last steps started) is
 * early, late in its time, or past it, as the case's pace asks. All relative to `now`, so the
 * spread holds whenever the demo is created. Pure: the default policies, which an empty database has.
 */

type Step = DispatchEvent['type'];
/** Where the case's running clock stands: on time, due within days, or past due. */
export type Pace = 'onTime' | 'dueSoon' | 'overdue';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Days to due that count as due soon (DUE_SOON_DAYS in deadlineBadge.ts), with a margin. */
const SOON_DAYS = 16;
/** A due-soon case is this many days from its due date; an overdue one this many past it. */
const DUE_IN_DAYS = 6;
const PAST_DUE_DAYS = 9;

/** Days from the step before (receipt, for the first): each well within the clock it runs on. */
const GAP_DAYS: Record<Step, number> = {
  BEGIN_TRIAGE: 1,
  ACCEPT: 9,
  OFFER_MEDIATION: 8,
  REFER: 4,
  DISMISS: 6,
  ASSIGN: 2,
  BEGIN_INVESTIGATION: 3,
  TOLL: 40,
  RESUME: 20,
  DRAFT_FINDINGS: 100,
  REVISE_FINDINGS: 5,
  SUBMIT_FINDINGS: 7,
  OPEN_VOTING: 21,
  NO_QUORUM: 0,
  BOARD_DECIDED: 0,
  RETURN_TO_INVESTIGATION: 0,
  RECONSIDERATION_WINDOW_CLOSED: 31,
  REQUEST_RECONSIDERATION: 10,
  MEDIATION_SUCCEEDED: 35,
  MEDIATION_FAILED: 45,
  REOPEN: 30,
  WITHDRAW: 2,
  CONTINUE_AFTER_WITHDRAWAL: 3,
  CLOSE_WITHDRAWN: 3,
  ADD_INFORMATION: 2,
  UPDATE_CONTACT: 1,
};

/** The clock a step starts (complaint.machine.ts), besides the statutory one that runs from receipt. */
const STARTS: Partial<Record<Step, DeadlineKind>> = {
  BEGIN_TRIAGE: 'triage',
  OFFER_MEDIATION: 'mediation',
  ACCEPT: 'investigation',
  MEDIATION_FAILED: 'investigation',
  REOPEN: 'investigation',
  RETURN_TO_INVESTIGATION: 'investigation',
  SUBMIT_FINDINGS: 'board_decision',
  REQUEST_RECONSIDERATION: 'board_decision',
  BOARD_DECIDED: 'reconsideration',
};

export interface DemoTimeline {
  receivedAt: Date;
  /** One moment per step, in order, an hour apart at least. */
  stepsAt: Date[];
}

/**
 * How long the running clock has run, in days. On time stays clear of the due-soon days and of the
 * sweeper's warning (`spread`, from 0 to 1, places the case within that span); the acknowledgement
 * (five business days) is due soon from the day a complaint comes in.
 */
function elapsedDays(kind: DeadlineKind, pace: Pace, spread: number, sinceStart: number): number {
  const policy = DEFAULT_POLICIES[kind];
  const days = policy.unit === 'calendar_days' ? policy.amount : 12; // 5 business days, with a holiday
  if (pace === 'overdue') return Math.max(days + PAST_DUE_DAYS, sinceStart + 1);
  if (pace === 'dueSoon' || policy.unit !== 'calendar_days') {
    const soon = policy.unit === 'calendar_days' ? days - DUE_IN_DAYS : 1 + spread;
    return Math.max(soon, sinceStart + 1);
  }
  const latest = days - Math.max(SOON_DAYS, policy.warnBeforeDays + 2);
  return sinceStart + 1 + spread * Math.max(0, latest - sinceStart - 1);
}

/** The moments of a demo case's receipt and steps, ending before `now`. */
export function demoTimeline(path: readonly Step[], pace: Pace, spread: number, now: Date): DemoTimeline {
  const offsets: number[] = [];
  let at = 0;
  for (const step of path) offsets.push((at += GAP_DAYS[step] * DAY + HOUR));
  const started = path.findLastIndex((step) => STARTS[step] !== undefined);
  const kind = started < 0 ? 'acknowledge' : STARTS[path[started]!]!;
  const startOffset = started < 0 ? 0 : offsets[started]!;
  const sinceStart = (at - startOffset) / DAY;
  const received = now.getTime() - startOffset - elapsedDays(kind, pace, spread, sinceStart) * DAY;
  return { receivedAt: new Date(received), stepsAt: offsets.map((offset) => new Date(received + offset)) };
}
