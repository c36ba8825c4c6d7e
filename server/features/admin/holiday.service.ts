import type { Clock } from '../../platform/clock.js';
import { DateTime } from 'luxon';
import type { Db } from '../../platform/db/database.js';
import {
  deleteHoliday,
  holidayYears,
  insertHoliday,
  listHolidays,
  type HolidayRow,
} from '../../platform/deadlines/holiday.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';

export type { HolidayRow };

export interface HolidayList {
  /** Coming days off (today included) first, soonest first; then past ones, latest first. */
  upcoming: HolidayRow[];
  past: HolidayRow[];
  years: number[];
  /** The region whose public holidays count on their own (a date-holidays code). */
  region: string;
}

export type HolidayService = ReturnType<typeof holidayService>;

/** The agency's own days off, which business-day clocks skip; read afresh by every new clock. */
export function holidayService(deps: { db: Db; audit: AuditService; timeZone: string; region: string; clock: Clock }) {
  const { db } = deps;
  const now = deps.clock;
  const today = () => DateTime.fromJSDate(now(), { zone: deps.timeZone }).toISODate()!;
  const record = (
    trx: Parameters<AuditService['record']>[0],
    type: string,
    by: string,
    row: HolidayRow,
    requestId?: string,
  ) =>
    deps.audit.record(trx, {
      type,
      actor: { type: 'user', id: by },
      object: { type: 'holiday', id: row.day },
      requestId,
      details: { source: row.source },
    });

  return {
    async list(year?: number): Promise<HolidayList> {
      const [rows, years] = await Promise.all([listHolidays(db, year), holidayYears(db)]);
      const from = today();
      const currentYear = Number(from.slice(0, 4));
      return {
        upcoming: rows.filter((h) => h.day >= from),
        past: rows.filter((h) => h.day < from).reverse(),
        years: [...new Set([currentYear + 1, currentYear, ...years])].sort((a, b) => b - a),
        region: deps.region,
      };
    },

    /** Adds a day off; 'exists' when that day is already one. */
    async add(by: string, holiday: { day: string; name: string }, requestId?: string): Promise<'exists' | undefined> {
      return db.transaction().execute(async (trx) => {
        if (!(await insertHoliday(trx, holiday))) return 'exists';
        await record(trx, 'holiday.add', by, { ...holiday, source: 'admin' }, requestId);
        return undefined;
      });
    },

    /** Removes a day off; false when there was none that day. */
    async remove(by: string, day: string, requestId?: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const removed = await deleteHoliday(trx, day);
        if (removed) await record(trx, 'holiday.remove', by, removed, requestId);
        return removed !== undefined;
      });
    },
  };
}
