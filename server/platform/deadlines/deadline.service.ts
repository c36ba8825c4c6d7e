import type { Clock } from '../clock.js';
import Holidays from 'date-holidays';
import type { Db } from '../db/database.js';
import {
  insertDeadlines,
  type NewDeadline,
  pauseDeadlines,
  runningDeadlines,
  stopDeadlines,
  syncCaseClocks,
  updateDeadline,
} from './deadline.repository.js';
import { lockCasesWithDueClocks, sweepLockedCases, type SweepMail } from './sweep.repository.js';
import type { Executor } from '../db/executor.js';
import type { ReferenceData, ReferenceService } from '../reference/reference.service.js';
import type { Logger } from '../logger.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../../workflows/complaint.machine.js';
import {
  DEFAULT_POLICIES,
  computeDue,
  extendForTolling,
  lastDayOf,
  type Calendar,
  type DeadlinePolicy,
} from '../../../workflows/deadline.policy.js';
import type { OutboxService } from '../mail/outbox.service.js';
import type { TemplateName } from '../mail/email.templates.js';
import { rolesWith } from '../../domain/policy.js';

const SWEEP_BATCH = 1_000;

export interface DeadlineOptions {
  db: Db;
  outbox: OutboxService;
  logger: Logger;
  timeZone: string;
  holidayRegion: string;
  publicBaseUrl: string;
  clock: Clock;
  /** The admin's holidays and policy overrides, kept in memory (read once per transaction). */
  reference: Pick<ReferenceService, 'current'>;
}

export type DeadlineService = ReturnType<typeof deadlineService>;

/** Public holidays of the region for the years around now, computed once. */
function regionHolidays(region: string, year: number): string[] {
  const [country, state] = region.split('-');
  const calendar = state ? new Holidays(country!, state) : new Holidays(country!);
  const days: string[] = [];
  for (let y = year - 2; y <= year + 4; y++) {
    for (const h of calendar.getHolidays(y) || []) if (h.type === 'public') days.push(h.date.slice(0, 10));
  }
  return days;
}

/**
 * Clocks per complaint (DESIGN.md "Deadlines"): started, stopped, paused and resumed by the
 * workflow's effects inside the transition's transaction, and swept every minute by every
 * instance for warnings and breaches.
 */
export function deadlineService(options: DeadlineOptions) {
  const { db, outbox, logger } = options;
  const now = options.clock;
  const fixedHolidays = regionHolidays(options.holidayRegion, now().getUTCFullYear());
  let timer: NodeJS.Timeout | undefined;

  // The region's holidays and the admin's, made into one set once for each version of the reference data.
  const calendars = new WeakMap<ReferenceData, Calendar>();
  async function calendar(trx: Executor): Promise<Calendar> {
    const reference = await options.reference.current(trx);
    let made = calendars.get(reference);
    if (!made) {
      made = { timeZone: options.timeZone, holidays: new Set([...fixedHolidays, ...reference.holidays]) };
      calendars.set(reference, made);
    }
    return made;
  }

  async function policy(trx: Executor, kind: string): Promise<DeadlinePolicy> {
    const override = (await options.reference.current(trx)).policies.get(kind);
    if (override) return { amount: override.amount, unit: override.unit, warnBeforeDays: override.warn_before_days };
    return DEFAULT_POLICIES[kind as DeadlineKind];
  }

  // The sweep's mail, written by its one statement (#18): warnings to the investigator, breaches also
  // to the supervisors, and a case without an investigator is the supervisors' to watch.
  const sweepMail: SweepMail = {
    queue: (messages) => outbox.queueSelected(messages),
    supervisorRoles: rolesWith('deadlines.escalations'),
    warning: 'deadlineWarning' satisfies TemplateName,
    breach: 'deadlineBreached' satisfies TemplateName,
    timeZone: options.timeZone,
    caseUrlPrefix: `${options.publicBaseUrl}/staff/cases/`,
    supervisorsOnly: ['department_response'] satisfies DeadlineKind[],
    responseUrlPrefix: `${options.publicBaseUrl}/staff/responses/`,
  };

  return {
    /**
     * Starts clocks of one case at `at`, each counting from its own `from` (the statutory one may
     * count from the incident), in one statement; the due time of each, by kind.
     */
    async start(
      trx: Executor,
      complaintId: string,
      clocks: Array<{ kind: DeadlineKind; from: Date | string }>,
      at: Date,
    ): Promise<Map<DeadlineKind, Date>> {
      const cal = await calendar(trx);
      const rows: NewDeadline[] = [];
      for (const { kind, from } of clocks) {
        const due = computeDue(from, await policy(trx, kind), cal);
        rows.push({
          kind,
          starts_at: at,
          due_at: due.dueAt,
          warn_at: due.warnAt,
          next_check_at: due.warnAt && due.warnAt < due.dueAt ? due.warnAt : due.dueAt,
        });
      }
      await insertDeadlines(trx, complaintId, rows);
      return new Map(rows.map((row) => [row.kind as DeadlineKind, row.due_at as Date]));
    },

    /** When a clock of this kind started now would fall due (the board's reconsideration window). */
    async dueAt(trx: Executor, kind: DeadlineKind, from: Date): Promise<Date> {
      return computeDue(from, await policy(trx, kind), await calendar(trx)).dueAt;
    },

    async stop(trx: Executor, complaintId: string, kind: DeadlineKind, at: Date): Promise<void> {
      await stopDeadlines(trx, complaintId, kind, at);
    },

    /** Tolls the running clocks; a deadline already missed stays missed (tolling cannot undo a breach). */
    async pause(trx: Executor, complaintId: string, at: Date, reason: string): Promise<void> {
      await pauseDeadlines(trx, complaintId, at, reason);
    },

    async resume(trx: Executor, complaintId: string, at: Date): Promise<void> {
      const cal = await calendar(trx);
      for (const row of await runningDeadlines(trx, complaintId)) {
        if (!row.tolled_at) continue;
        const lastDay = lastDayOf(row.due_at, options.timeZone);
        const due = extendForTolling({ dueDate: lastDay }, row.tolled_at, at, await policy(trx, row.kind), cal);
        const warnPending = row.status === 'open' && due.warnAt !== null;
        await updateDeadline(trx, row.id, {
          due_at: due.dueAt,
          warn_at: due.warnAt,
          tolled_at: null,
          tolled_reason: null,
          next_check_at: warnPending ? due.warnAt : due.dueAt,
        });
      }
      await syncCaseClocks(trx, complaintId);
    },

    /** The policy in force for every clock: the admin's where set, else the default. */
    async policies(): Promise<Record<DeadlineKind, DeadlinePolicy>> {
      const entries = await Promise.all(DEADLINE_KINDS.map(async (kind) => [kind, await policy(db, kind)] as const));
      return Object.fromEntries(entries) as Record<DeadlineKind, DeadlinePolicy>;
    },

    /** One pass over the due rows: warnings, then breaches, each emailed through the outbox. */
    async sweep(): Promise<{ warned: number; breached: number }> {
      const result = { warned: 0, breached: 0 };
      for (;;) {
        const at = now();
        // Set-based (#18): a batch is two statements, however many rows are due: the locks, then the rest.
        const { cases, more } = await db.transaction().execute(async (trx) => {
          const locked = await lockCasesWithDueClocks(trx, at, SWEEP_BATCH);
          const swept = await sweepLockedCases(trx, locked.cases, at, sweepMail);
          result.warned += swept.warned;
          result.breached += swept.breached;
          return { cases: locked.cases.length, more: locked.more };
        });
        // Until nothing more is due, or what is left is held by others (the next pass takes it): a
        // batch that was not full took all that was due, so it needs no empty pass after it.
        if (cases === 0 || !more) return result;
      }
    },

    /** Sweeps every interval; `after` runs after each pass (the board closing lapsed reconsideration windows). */
    startSweeper(intervalMs = 60_000, after?: () => Promise<unknown>): void {
      timer ??= setInterval(() => {
        this.sweep()
          .then(() => after?.())
          .catch((error: Error) => logger.warn({ err: { message: error.message } }, 'deadline sweep failed'));
      }, intervalMs);
      timer.unref();
    },

    stopSweeper(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
