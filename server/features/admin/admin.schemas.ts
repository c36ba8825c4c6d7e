import { ROLES, type Role } from '../../domain/vocabulary.js';
import { DateTime } from 'luxon';
import { z } from 'zod';

/** Administration forms: users, deadline policy, holidays (R18: strict, capped). Messages are catalogue keys. */

export { ID_PATTERN as UUID } from '../../domain/ids.js';
/** A calendar day YYYY-MM-DD in a year the database and the forms handle (1900–2199). */
export const ISO_DAY = /^(19|20|21)\d{2}-\d{2}-\d{2}$/;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const text = (max: number, missing: string, tooLong: string) =>
  z
    .string()
    .trim()
    .min(1, { error: missing })
    .max(max, { error: tooLong })
    .refine((v) => !CONTROLS.test(v), { error: 'admin.field.controls' });

// Checked as a whole, so a wrong value is reported on the roles field, not on a position in it.
const roles = z
  .array(z.string())
  .max(5, { error: 'validation.choose' })
  .refine((list): list is Role[] => list.every((role) => (ROLES as readonly string[]).includes(role)), {
    error: 'validation.choose',
  })
  .transform((list) => [...new Set(list)]);

const userDetails = {
  displayName: text(200, 'admin.users.field.nameRequired', 'admin.users.field.nameTooLong'),
  language: z.enum(['en', 'es'], { error: 'admin.users.field.languageChoose' }),
  roles,
};

export const newUserForm = z.strictObject({
  email: text(254, 'admin.users.field.emailRequired', 'admin.users.field.emailTooLong').pipe(
    z.email({ error: 'admin.users.field.emailInvalid' }),
  ),
  ...userDetails,
});

export const editUserForm = z.strictObject(userDetails);

const whole = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));

export const policyForm = z.strictObject({
  amount: whole(1, 1000, 'admin.deadlines.field.amountRange'),
  unit: z.enum(['business_days', 'calendar_days', 'months'], { error: 'admin.deadlines.field.unitChoose' }),
  warnBeforeDays: whole(0, 365, 'admin.deadlines.field.warnRange'),
});

/** A real calendar day, written YYYY-MM-DD (what a date input sends). */
export const isoDay = z
  .string()
  .trim()
  .min(1, { error: 'admin.holidays.field.dayRequired' })
  .refine((v) => ISO_DAY.test(v) && DateTime.fromISO(v).isValid, { error: 'admin.holidays.field.dayInvalid' });

export const holidayForm = z.strictObject({
  day: isoDay,
  name: text(200, 'admin.holidays.field.nameRequired', 'admin.holidays.field.nameTooLong'),
});

export const holidayFilter = z.strictObject({
  // '' is the filter's "every year".
  year: z
    .string()
    .regex(/^((19|20|21)\d{2})?$/)
    .transform((v) => (v ? Number(v) : undefined))
    .optional(),
});
