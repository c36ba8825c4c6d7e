import { idSchema } from '../../domain/ids.js';
import { z } from 'zod';

/** Records retention forms (R5, R18: strict, capped). Messages are catalogue keys. */

const years = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, { error: 'retention.policy.yearsRange' })
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, { error: 'retention.policy.yearsRange' })
      .max(100, { error: 'retention.policy.yearsRange' }),
  );

export const policyForm = z.strictObject({
  referred: years,
  dismissed: years,
  mediated: years,
  withdrawn: years,
  decided: years,
  sustained: years,
});

export const holdLookup = z.strictObject({
  trackingNumber: z.string().trim().min(1, { error: 'retention.hold.trackingRequired' }).max(40),
});

export const holdForm = z.strictObject({
  complaintId: idSchema(),
  hold: z.enum(['set', 'clear'], { error: 'retention.hold.chooseAction' }),
  reason: z.string().trim().min(1, { error: 'retention.hold.reasonRequired' }).max(1000),
});

export const purgeForm = z.strictObject({
  asOf: z.iso.datetime(),
  policy: z.string().max(200),
});
