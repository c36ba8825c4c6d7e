import { z } from 'zod';
import { DateTime } from 'luxon';
import { idSchema } from '../../domain/ids.js';
import { DISCIPLINES } from '../../domain/vocabulary.js';
import { ISO_DAY } from '../admin/admin.schemas.js';

/** The form of a new entry of the department's response (R18: strict, capped). Messages are catalogue keys. */
export const responseForm = z
  .strictObject({
    allegation: idSchema('responses.field.allegationChoose'),
    concurred: z.enum(['yes', 'no'], { error: 'responses.field.concurredChoose' }),
    discipline: z.enum(DISCIPLINES, { error: 'responses.field.disciplineChoose' }),
    suspensionDays: z.string().trim().max(3, { error: 'responses.field.daysRange' }).optional(),
    respondedOn: z
      .string({ error: 'responses.field.dateRequired' })
      .trim()
      .min(1, { error: 'responses.field.dateRequired' })
      .refine((v) => ISO_DAY.test(v) && DateTime.fromISO(v).isValid, { error: 'responses.field.dateInvalid' }),
    note: z.string().trim().max(4000).optional(),
  })
  .superRefine((v, ctx) => {
    const days = v.suspensionDays ?? '';
    const count = /^\d{1,3}$/.test(days) ? Number(days) : NaN;
    if (v.discipline === 'suspension' && !(count >= 1 && count <= 365)) {
      ctx.addIssue({ code: 'custom', path: ['suspensionDays'], message: 'responses.field.daysRange' });
    } else if (v.discipline !== 'suspension' && days !== '') {
      ctx.addIssue({ code: 'custom', path: ['suspensionDays'], message: 'responses.field.daysOnlySuspension' });
    }
  })
  .transform((v) => ({
    allegationId: v.allegation,
    concurred: v.concurred === 'yes',
    discipline: v.discipline,
    suspensionDays: v.discipline === 'suspension' ? Number(v.suspensionDays) : null,
    respondedOn: v.respondedOn,
    note: v.note ? v.note : null,
  }));

export type ResponseInput = z.output<typeof responseForm>;
