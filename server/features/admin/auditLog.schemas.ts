import { DateTime } from 'luxon';
import { z } from 'zod';
import { ISO_DAY } from './admin.schemas.js';

/** The audit log viewer's filters, from the query string (R18: strict, capped). Messages are catalogue keys. */

const blank = z.literal('');
const day = z
  .string()
  .trim()
  .refine((v) => v === '' || (ISO_DAY.test(v) && DateTime.fromISO(v).isValid), {
    error: 'auditLog.filter.dateFormat',
  });

export const auditFilterQuery = z
  .strictObject({
    type: z
      .string()
      .trim()
      .max(100)
      .regex(/^[\w.:-]*$/, { error: 'auditLog.filter.typeInvalid' })
      .optional(),
    actor: z
      .string()
      .trim()
      .max(254)
      .regex(/^$|^[^\s@]+@[^\s@]+$/, { error: 'auditLog.filter.actorFormat' })
      .optional(),
    object: z
      .string()
      .trim()
      .max(100)
      .regex(/^[\w.:-]*$/, { error: 'auditLog.filter.objectInvalid' })
      .optional(),
    outcome: z.union([blank, z.enum(['success', 'failure'])]).optional(),
    from: day.optional(),
    to: day.optional(),
    before: z
      .string()
      .regex(/^$|^[1-9]\d{0,14}$/, { error: 'validation.invalid' })
      .optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], error: 'auditLog.filter.toBeforeFrom' });

export type AuditFilterQuery = z.infer<typeof auditFilterQuery>;
