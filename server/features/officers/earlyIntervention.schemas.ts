import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  CATEGORIES_MAX,
  COUNT_MAX,
  COUNT_MIN,
  MONTHS_MAX,
  MONTHS_MIN,
  type Thresholds,
} from './earlyIntervention.rules.js';
import { ISO_DAY } from '../admin/admin.schemas.js';

/** Early intervention and the disparity view: the admin's thresholds and the window of the view (R18). */

const whole = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,4}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));

const count = whole(COUNT_MIN, COUNT_MAX, 'earlyIntervention.settings.countRange');
const months = whole(MONTHS_MIN, MONTHS_MAX, 'earlyIntervention.settings.monthsRange');

/** The admin's thresholds form; the force categories must be among the agency's (the list the form offers). */
export function thresholdsForm(categoryCodes: readonly string[]) {
  return z
    .strictObject({
      complaintsCount: count,
      complaintsMonths: months,
      forceCount: count,
      forceMonths: months,
      forceCategories: z
        .array(z.string())
        .max(CATEGORIES_MAX, { error: 'earlyIntervention.settings.categoryUnknown' })
        .refine((codes) => codes.every((c) => categoryCodes.includes(c)), {
          error: 'earlyIntervention.settings.categoryUnknown',
        })
        .transform((codes) => [...new Set(codes)])
        .refine((codes) => codes.length > 0, { error: 'earlyIntervention.settings.categoryRequired' }),
      sustainedCount: count,
      sustainedMonths: months,
    })
    .transform((v): Thresholds => ({
      complaints: { count: v.complaintsCount, months: v.complaintsMonths },
      force: { count: v.forceCount, months: v.forceMonths, categories: v.forceCategories },
      sustained: { count: v.sustainedCount, months: v.sustainedMonths },
    }));
}

const day = z
  .string()
  .trim()
  .refine((v) => v === '' || (ISO_DAY.test(v) && DateTime.fromISO(v).isValid), {
    error: 'earlyIntervention.disparity.dateFormat',
  });

/** The disparity view's window: days YYYY-MM-DD, either may be blank (the default window fills it). */
export const disparityQuery = z
  .strictObject({ from: day.optional(), to: day.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ['to'],
    error: 'earlyIntervention.disparity.toBeforeFrom',
  });

export type DisparityQuery = z.infer<typeof disparityQuery>;
