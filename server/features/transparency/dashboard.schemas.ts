import { z } from 'zod';
import { DEFAULT_MONTHS, MAX_MONTHS, MONTH, addMonths, monthsCovered, type MonthRange } from './dashboard.model.js';

/** The dashboard's range form (a GET form: from and to, 'YYYY-MM'). Messages are catalogue keys. */

/** A month 'YYYY-MM'; left blank, it takes its default. */
const month = (invalid: string) =>
  z
    .string({ error: invalid })
    .trim()
    .refine((v) => v === '' || MONTH.test(v), { error: invalid })
    .optional();

/**
 * The range asked for: a blank "to" is this month, a blank "from" the 12th month back from "to".
 * At most 36 months, "to" not before "from" and not after this month (in the agency's time zone).
 */
export function rangeQuery(currentMonth: string) {
  if (lastRangeQuery?.currentMonth !== currentMonth) {
    lastRangeQuery = { currentMonth, schema: rangeQuerySchema(currentMonth) };
  }
  return lastRangeQuery.schema;
}

// Building the schema costs more than a parse, and it changes only with the month: kept.
let lastRangeQuery: { currentMonth: string; schema: ReturnType<typeof rangeQuerySchema> } | undefined;

function rangeQuerySchema(currentMonth: string) {
  return z
    .strictObject({
      from: month('dashboard.errors.fromInvalid'),
      to: month('dashboard.errors.toInvalid'),
    })
    .transform(({ from, to }): MonthRange => {
      const last = to || currentMonth;
      // A blank "from" never reaches before the first month there can be.
      const earliest = addMonths(last, -(DEFAULT_MONTHS - 1));
      return { from: from || (earliest < '1900-01' ? '1900-01' : earliest), to: last };
    })
    .check((ctx) => {
      const range = ctx.value;
      if (range.to > currentMonth) {
        ctx.issues.push({ code: 'custom', input: range.to, path: ['to'], message: 'dashboard.errors.toFuture' });
      } else if (range.to < range.from) {
        ctx.issues.push({ code: 'custom', input: range.to, path: ['to'], message: 'dashboard.errors.order' });
      } else if (monthsCovered(range) > MAX_MONTHS) {
        ctx.issues.push({ code: 'custom', input: range.from, path: ['from'], message: 'dashboard.errors.tooLong' });
      }
    });
}

/** A report's year in the URL: four digits, or the page does not exist. */
export const reportYear = z
  .string()
  .regex(/^\d{4}$/)
  .transform(Number);
