import type { Request } from 'express';
import { AGE_RANGES, CONTACT_METHODS, FILING_AS, GENDERS, LANGUAGE_CODES, RACES } from './complaint.schemas.js';
import type { Services } from '../../compose.js';
import type { Step } from './complaintForm.steps.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'reference'>;

/** The choices a step offers, labelled from the catalogue or the agency's lists in the reader's language. */
export async function complaintOptions(services: Deps, req: Request, step: Step) {
  const t = req.t;
  const labelled = (values: readonly string[], prefix: string) =>
    values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
  switch (step) {
    case 'when-where':
      return { districts: await services.reference.districts(req.language) };
    case 'kind':
      return { categories: await services.reference.categories(req.language) };
    case 'about-you':
      return {
        filingOptions: FILING_AS.map((value) => ({
          value,
          label: t(`complaint.about.filing.${value}`),
          hint: t(`complaint.about.filingHint.${value}`),
        })),
        // Not `languageOptions`: that local is the layout's language switch (#17 item 2).
        preferredLanguageOptions: LANGUAGE_CODES.map((value) => ({ value, label: t(`complaint.languages.${value}`) })),
        contactOptions: labelled(CONTACT_METHODS, 'complaint.about.contact'),
      };
    case 'demographics':
      return {
        ageOptions: labelled(AGE_RANGES, 'complaint.demographics.age'),
        genderOptions: labelled(GENDERS, 'complaint.demographics.gender'),
        raceOptions: labelled(RACES, 'complaint.demographics.race'),
      };
    default:
      return {};
  }
}
