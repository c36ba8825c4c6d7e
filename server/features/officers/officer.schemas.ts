import { idSchema } from '../../domain/ids.js';
import { z } from 'zod';

/** The officer roster's search, form, CSV rows and kept import (R18: strict, capped). Messages are catalogue keys. */

export const OFFICER_PAGE_SIZE = 50;
export const IMPORT_MAX_ROWS = 5000;
export const IMPORT_MAX_BYTES = 1024 * 1024;
export const CSV_COLUMNS = ['badge_number', 'first_name', 'last_name', 'rank', 'unit', 'district'] as const;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const plain = (schema: z.ZodString) => schema.refine((v) => !CONTROLS.test(v), { error: 'officers.field.controls' });
const required = (max: number, missing: string, tooLong: string) =>
  plain(z.string().trim().min(1, { error: missing }).max(max, { error: tooLong }));
const optional = (max: number, tooLong: string) =>
  plain(z.string().trim().max(max, { error: tooLong })).transform((v) => v || null);

const fields = {
  badgeNumber: required(40, 'officers.field.badgeRequired', 'officers.field.badgeTooLong'),
  firstName: required(100, 'officers.field.firstNameRequired', 'officers.field.firstNameTooLong'),
  lastName: required(100, 'officers.field.lastNameRequired', 'officers.field.lastNameTooLong'),
  rank: optional(100, 'officers.field.rankTooLong'),
  unit: optional(100, 'officers.field.unitTooLong'),
  // A code of the districts table; the service checks that it is one.
  district: optional(40, 'officers.field.districtUnknown'),
};

/** An officer's details as the roster keeps them. */
export interface OfficerValues {
  badgeNumber: string;
  firstName: string;
  lastName: string;
  rank: string | null;
  unit: string | null;
  district: string | null;
}

/** The add and edit form; `active` is a checkbox, so a list of zero or one 'yes'. */
export const officerForm = z
  .strictObject({ ...fields, active: z.array(z.literal('yes', { error: 'validation.invalid' })).max(1) })
  .transform(({ active, ...values }) => ({ ...values, active: active.length === 1 }));

export type OfficerForm = z.infer<typeof officerForm>;

/** One data row of an import file, by its header's column names. */
export const officerCsvRow = z
  .strictObject({
    badge_number: fields.badgeNumber,
    first_name: fields.firstName,
    last_name: fields.lastName,
    rank: fields.rank,
    unit: fields.unit,
    district: fields.district,
  })
  .transform((r): OfficerValues => ({
    badgeNumber: r.badge_number,
    firstName: r.first_name,
    lastName: r.last_name,
    rank: r.rank,
    unit: r.unit,
    district: r.district,
  }));

/** The roster's search, from the query string. */
export const officerSearchQuery = z.strictObject({
  q: z.string().trim().max(100, { error: 'officers.search.tooLong' }).optional(),
  status: z.enum(['', 'active', 'inactive'], { error: 'validation.choose' }).optional(),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, { error: 'validation.invalid' })
    .optional(),
});

export type OfficerSearchQuery = z.infer<typeof officerSearchQuery>;

/** The validated rows kept in the session between the preview and the confirmation (read back strictly). */
export const keptImport = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        badgeNumber: z.string().min(1).max(40),
        firstName: z.string().min(1).max(100),
        lastName: z.string().min(1).max(100),
        rank: z.string().max(100).nullable(),
        unit: z.string().max(100).nullable(),
        district: z.string().max(40).nullable(),
      }),
    )
    .min(1)
    .max(IMPORT_MAX_ROWS),
});

export const officerId = idSchema();
