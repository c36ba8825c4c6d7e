import { z } from 'zod';

/** A listing's query string: its page number only (R18: strict, capped); anything else is not found. */
export const pageQuery = z.strictObject({
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .optional(),
});
