import { z } from 'zod';
import { normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';

/** The release form (R18: strict, capped). Messages are catalogue keys. */

/** At most this many cases in one release: a request larger than this is split into several. */
export const MAX_CASES = 200;
export const REFERENCE_MAX = 60;
/** The parts a release may include beside each case's outcome; identities are not among them. */
export const RELEASE_PARTS = ['allegations', 'timeline', 'decision'] as const;
export const OFFICER_CHOICES = ['none', 'sustained', 'all'] as const;

const TRACKING = /^[A-Z0-9-]{1,40}$/;

/** Tracking numbers typed one to a line, or separated by commas or spaces: each once, normalised. */
const trackingNumbers = z
  .string()
  .max(MAX_CASES * 20, { error: 'releases.form.tooMany' })
  .transform((text) => [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(normaliseTrackingNumber),
    ),
  ])
  .superRefine((numbers, ctx) => {
    if (numbers.length === 0) ctx.addIssue({ code: 'custom', message: 'releases.form.casesRequired' });
    else if (numbers.length > MAX_CASES) ctx.addIssue({ code: 'custom', message: 'releases.form.tooMany' });
    else if (!numbers.every((n) => TRACKING.test(n)))
      ctx.addIssue({ code: 'custom', message: 'releases.form.trackingFormat' });
  });

export const releaseForm = z.strictObject({
  reference: z
    .string()
    .trim()
    .min(1, { error: 'releases.form.referenceRequired' })
    .max(REFERENCE_MAX, { error: 'releases.form.referenceLength' })
    .regex(/^[^\p{Cc}]*$/u, { error: 'releases.form.referenceInvalid' }),
  trackingNumbers,
  include: z.array(z.enum(RELEASE_PARTS)).max(RELEASE_PARTS.length),
  officers: z.enum(OFFICER_CHOICES, { error: 'releases.form.officersChoose' }),
  narrative: z.literal('include').optional(),
});

export type ReleaseForm = z.infer<typeof releaseForm>;
