import { z } from 'zod';

/**
 * The closing survey's form (issue #7). Every question is optional: a survey asks, it does not
 * insist, and a person may skip a question they cannot or would rather not answer. A form with
 * nothing at all answered is refused. Messages are catalogue keys.
 */

export const SURVEY_COMMENT_MAX = 5000;

/** A radio group: absent or '' when skipped, else one of '1'..'5'. */
export const score = z
  .enum(['', '1', '2', '3', '4', '5'], { error: 'survey.form.scoreRange' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : Number(v)));

export const surveyForm = z
  .strictObject({
    respect: score,
    understood: score,
    informed: score,
    explained: score,
    trust: score,
    comment: z
      .string({ error: 'survey.form.commentInvalid' })
      .trim()
      .max(SURVEY_COMMENT_MAX, { error: 'survey.form.commentTooLong' })
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : v)),
  })
  .refine((a) => Object.values(a).some((v) => v !== null), {
    error: 'survey.form.nothingAnswered',
    path: ['answers'],
  });

export type SurveyForm = z.infer<typeof surveyForm>;
