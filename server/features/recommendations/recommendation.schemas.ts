import { z } from 'zod';
import { DateTime } from 'luxon';
import { ISO_DAY } from '../admin/admin.schemas.js';
import { TRACKING_NUMBER } from '../residents/complaint.schemas.js';
import { normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';

/** The forms of policy recommendations (R18: strict, capped). Messages are catalogue keys. */

const text = (max: number, required: string) =>
  z.string({ error: required }).trim().min(1, { error: required }).max(max);

/** Tracking numbers of the cases that prompted it, separated by spaces, commas or lines; at most 50. */
const trackingList = z
  .string()
  .max(2000)
  .optional()
  .transform((v) => [
    ...new Set(
      (v ?? '')
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(normaliseTrackingNumber),
    ),
  ])
  .refine((list) => list.length <= 50, { error: 'recommendations.field.casesTooMany' })
  .refine((list) => list.every((t) => TRACKING_NUMBER.test(t)), {
    error: 'recommendations.field.casesFormat',
  });

export const recommendationForm = z.strictObject({
  titleEn: text(200, 'recommendations.field.titleRequired'),
  titleEs: text(200, 'recommendations.field.titleRequired'),
  bodyEn: text(10_000, 'recommendations.field.bodyRequired'),
  bodyEs: text(10_000, 'recommendations.field.bodyRequired'),
  basisEn: text(2000, 'recommendations.field.basisRequired'),
  basisEs: text(2000, 'recommendations.field.basisRequired'),
  cases: trackingList,
});
export type RecommendationInput = z.output<typeof recommendationForm>;

export const RESPONSE_STATUSES = ['accepted', 'partially_accepted', 'rejected', 'under_study'] as const;
export const IMPLEMENTATION_STATUSES = ['in_progress', 'implemented', 'not_implemented'] as const;

/**
 * The department's response (accepted, partially accepted, rejected, under study) or an
 * implementation update (in progress, implemented, not implemented): the status says which.
 */
export const updateForm = z
  .strictObject({
    status: z.enum([...RESPONSE_STATUSES, ...IMPLEMENTATION_STATUSES], { error: 'recommendations.field.statusChoose' }),
    body: text(5000, 'recommendations.field.updateBodyRequired'),
    occurredOn: z
      .string({ error: 'recommendations.field.dateRequired' })
      .trim()
      .min(1, { error: 'recommendations.field.dateRequired' })
      .refine((v) => ISO_DAY.test(v) && DateTime.fromISO(v).isValid, { error: 'recommendations.field.dateInvalid' }),
  })
  .transform((v) => ({
    ...v,
    kind: (RESPONSE_STATUSES as readonly string[]).includes(v.status)
      ? ('response' as const)
      : ('implementation' as const),
  }));
export type UpdateInput = z.output<typeof updateForm>;

export const agendaForm = z.strictObject({
  recommendationId: z.string({ error: 'recommendations.field.recommendationChoose' }).max(100).min(1, {
    error: 'recommendations.field.recommendationChoose',
  }),
});

export const voteForm = z
  .strictObject({
    choice: z.enum(['adopt', 'reject', 'recused'], { error: 'recommendations.field.choiceChoose' }),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.choice === 'recused' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'recommendations.field.reasonRequired' });
    }
  })
  .transform((v) => ({ choice: v.choice, reason: v.choice === 'recused' ? v.reason! : null }));

/** The public tracker's filters: '' is "any"; other parameters (a campaign's, say) are ignored. */
export const trackerQuery = z.object({
  status: z.string().max(40).optional(),
  year: z
    .string()
    .regex(/^((19|20|21)\d{2})?$/)
    .optional(),
  lang: z.string().optional(),
});
