/**
 * The bank of standard community survey items (#19 part 4): procedural justice (is the police's
 * conduct respectful, fair, explained, even-handed), trust and willingness to cooperate, and
 * knowledge of the oversight process. Each is a statement answered on the 1–5 agreement scale of
 * the closing survey; its texts, in every language, are `trustSurvey.item.<code>`. A wave asks a
 * choice of them; codes are stored, so a code once used is never renamed or reused.
 */
export const TRUST_ITEMS = [
  'respect',
  'fairness',
  'voice',
  'explain',
  'equal',
  'doRight',
  'confidence',
  'cooperate',
  'complaintSerious',
  'knowHow',
  'oversightTrust',
] as const;

export type TrustItem = (typeof TRUST_ITEMS)[number];

/** The optional questions about the respondent a wave may ask; each may be left unanswered. */
export const TRUST_DEMOGRAPHICS = {
  ageRange: ['16-24', '25-34', '35-44', '45-64', '65+'],
  gender: ['woman', 'man', 'nonBinary', 'other'],
  race: ['hispanic', 'black', 'white', 'asian', 'nativeAmerican', 'pacificIslander', 'multiple', 'other'],
} as const;

export type TrustDemographic = keyof typeof TRUST_DEMOGRAPHICS;
export const DEMOGRAPHIC_QUESTIONS = Object.keys(TRUST_DEMOGRAPHICS) as TrustDemographic[];

/** The district key of an answer that names none: the dashboard calls it "district not given". */
export const NO_DISTRICT = 'unknown';
/** The item key of a district's count of respondents in the results. */
export const RESPONDENTS = '';
