/**
 * The deadline badge of a case, as the queue, the case page and the staff API show it. Pure: the
 * caller passes the time, so the same clocks give the same badge everywhere. The queue's SQL
 * filters (caseQueue.repository.ts) follow the same rules; the tests hold the two together.
 */

export const DEADLINE_BADGES = ['overdue', 'dueSoon', 'tolled', 'onTime'] as const;
export type DeadlineBadge = (typeof DEADLINE_BADGES)[number];

/** A clock "due soon" is due within this many days (or the sweeper has sent its warning). */
export const DUE_SOON_DAYS = 14;
const DAY_MS = 86_400_000;

/** A clock still running: not met, not cancelled, not stopped (a stopped clock keeps 'breached' as its verdict). */
export const RUNNING_STATUSES = ['open', 'warned', 'breached'] as const;

export interface Clock {
  due_at: Date | string;
  status: string;
  tolled_at: Date | string | null;
  completed_at?: Date | string | null;
}

/** What the badge depends on, as the queue's query returns it per case. */
export interface ClockFacts {
  /** The earliest due time of the running clocks that are not tolled, or null. */
  nextDueAt: Date | null;
  /** A running clock the sweeper has marked breached (tolling never undoes a breach). */
  breached: boolean;
  /** A running, not tolled clock the sweeper has warned about. */
  warned: boolean;
  /** A running clock that stands still (tolled). */
  tolled: boolean;
}

/** The limit of "due soon" for a moment: anything due up to then. */
export function dueSoonLimit(now: Date): Date {
  return new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS);
}

/** The facts of a case's clocks (rows of the deadlines table, any status). */
export function clockFacts(clocks: readonly Clock[]): ClockFacts {
  const running = clocks.filter(
    (c) => (RUNNING_STATUSES as readonly string[]).includes(c.status) && (c.completed_at ?? null) === null,
  );
  const ticking = running.filter((c) => c.tolled_at === null);
  const dues = ticking.map((c) => new Date(c.due_at).getTime());
  return {
    nextDueAt: dues.length ? new Date(Math.min(...dues)) : null,
    breached: running.some((c) => c.status === 'breached'),
    warned: ticking.some((c) => c.status === 'warned'),
    tolled: running.some((c) => c.tolled_at !== null),
  };
}

/**
 * Overdue (a running clock past due, or breached), else due soon (due within 14 days, or warned),
 * else tolled (the case's clocks stand still), else on time. A closed case has no badge.
 */
export function deadlineBadge(closed: boolean, facts: ClockFacts, now: Date): DeadlineBadge | null {
  if (closed) return null;
  const due = facts.nextDueAt?.getTime();
  if (facts.breached || (due !== undefined && due < now.getTime())) return 'overdue';
  if (facts.warned || (due !== undefined && due <= dueSoonLimit(now).getTime())) return 'dueSoon';
  if (facts.tolled) return 'tolled';
  return 'onTime';
}

/** The badge of a case from its stage and its deadline rows (the case page's list of clocks). */
export function badgeOf(stage: string, clocks: readonly Clock[], now: Date): DeadlineBadge | null {
  return deadlineBadge(stage === 'closed', clockFacts(clocks), now);
}
