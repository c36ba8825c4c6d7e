import { DateTime } from 'luxon';
import { z } from 'zod';
import { TRUST_ITEMS } from './trustSurvey.bank.js';

/** The longest a wave may run, in days from its first to its last. */
export const LONGEST_WAVE_DAYS = 366;

const FIELD = 'trustSurvey.admin.field';
const day = z
  .string()
  .trim()
  .min(1, { error: `${FIELD}.dayRequired` })
  .refine((v) => /^(19|20|21)\d{2}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid, {
    error: `${FIELD}.dayInvalid`,
  });

/** The admin's form that opens a wave (#19 part 4). Statements are kept in the bank's order, once each. */
export const trustWaveForm = z
  .strictObject({
    opensOn: day,
    closesOn: day,
    items: z
      .array(z.enum(TRUST_ITEMS, { error: `${FIELD}.itemsInvalid` }))
      .min(1, { error: `${FIELD}.itemsRequired` })
      .max(TRUST_ITEMS.length, { error: `${FIELD}.itemsInvalid` })
      .transform((items) => TRUST_ITEMS.filter((item) => items.includes(item))),
    asksDemographics: z
      .enum(['yes'], { error: `${FIELD}.demographicsInvalid` })
      .optional()
      .transform((v) => v === 'yes'),
  })
  .refine((w) => w.closesOn >= w.opensOn, { error: `${FIELD}.closesBeforeOpens`, path: ['closesOn'] })
  .refine((w) => DateTime.fromISO(w.closesOn).diff(DateTime.fromISO(w.opensOn), 'days').days <= LONGEST_WAVE_DAYS, {
    error: `${FIELD}.tooLong`,
    path: ['closesOn'],
  });
