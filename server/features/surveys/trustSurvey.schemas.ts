import { z } from 'zod';
import { score } from './survey.schemas.js';
import { DEMOGRAPHIC_QUESTIONS, TRUST_DEMOGRAPHICS, type TrustItem } from './trustSurvey.bank.js';
import type { TrustAnswers } from './trustSurvey.service.js';

/** One of the listed answers, or '' or absent when skipped (null). */
const choice = (values: readonly string[]) =>
  z
    .enum(['', ...values], { error: 'trustSurvey.form.choose' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/**
 * The community survey's form for one wave (#19 part 4): a 1–5 score for each statement the wave
 * asks, the district (one of `districts`) and, if the wave asks them, the demographic questions.
 * Everything is optional except that at least one statement must be answered; nothing else is
 * accepted. Messages are catalogue keys.
 */
export function trustAnswerForm(
  wave: { items: readonly TrustItem[]; asksDemographics: boolean },
  districts: readonly string[],
) {
  const questions = wave.asksDemographics ? DEMOGRAPHIC_QUESTIONS : [];
  const shape: Record<string, z.ZodType<number | string | null>> = {
    ...Object.fromEntries(wave.items.map((item) => [item, score])),
    district: choice(districts),
    ...Object.fromEntries(questions.map((q) => [q, choice(TRUST_DEMOGRAPHICS[q])])),
  };
  return z
    .strictObject(shape)
    .refine((a) => wave.items.some((item) => a[item] !== null), {
      error: 'trustSurvey.form.nothingAnswered',
      path: ['answers'],
    })
    .transform((a): TrustAnswers => ({
      scores: Object.fromEntries(wave.items.filter((item) => a[item] !== null).map((item) => [item, a[item]])),
      district: (a['district'] as string | null | undefined) ?? null,
      ageRange: (a['ageRange'] as string | null | undefined) ?? null,
      gender: (a['gender'] as string | null | undefined) ?? null,
      race: (a['race'] as string | null | undefined) ?? null,
    }));
}
