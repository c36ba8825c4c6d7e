import { z } from 'zod';
import { LANGUAGES as LANGUAGE_CODES } from '../../domain/vocabulary.js';

/**
 * What a resident tells us, one strict schema per step of the form; the API takes the same steps
 * together (`complaintSubmission`). Unknown fields are refused and every length is capped (R18).
 * Messages are catalogue keys (see formErrors.ts); unnamed problems get a message by their kind.
 */

/** Optional free text: trimmed, '' means absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const NARRATIVE_MAX = 20_000;
export const MAX_OFFICERS = 10;
export const MAX_WITNESSES = 10;

export { LANGUAGE_CODES };
export const CONTACT_METHODS = ['email', 'phone', 'mail', 'none'] as const;
export const FILING_AS = ['self', 'anonymous', 'someone_else'] as const;
export const AGE_RANGES = ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus', 'no_answer'] as const;
export const GENDERS = ['woman', 'man', 'non_binary', 'self_described', 'no_answer'] as const;
export const RACES = [
  'american_indian',
  'asian',
  'black',
  'hispanic',
  'middle_eastern',
  'pacific_islander',
  'white',
  'other',
  'no_answer',
] as const;

const isoDate = z.iso.date({ error: 'validation.date' });

export const whatStep = z.strictObject({
  // Over the limit is refused with its own message, never cut (#17 item 11): the page keeps the text.
  narrative: z
    .string()
    .trim()
    .min(1, { error: 'complaint.what.narrativeRequired' })
    .max(NARRATIVE_MAX, { error: 'complaint.what.narrativeTooLong' }),
});

export const whenWhereStep = z.strictObject({
  incidentDate: z
    .union([z.literal(''), isoDate])
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    // A day ahead of UTC's today allows for every time zone; the future is otherwise refused.
    .refine((v) => v === undefined || v <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), {
      error: 'complaint.whenWhere.dateInFuture',
    })
    .refine((v) => v === undefined || v >= '1900-01-01', { error: 'complaint.whenWhere.dateTooEarly' }),
  incidentTime: optionalText(40),
  location: optionalText(500),
  district: optionalText(40),
});

export const officerEntry = z
  .strictObject({
    name: optionalText(200),
    badgeNumber: optionalText(40),
    description: optionalText(1000),
  })
  .refine((o) => o.name ?? o.badgeNumber ?? o.description, { error: 'complaint.officers.entryEmpty', path: ['name'] });

export const officersStep = z.strictObject({
  officersUnknown: z.boolean().default(false),
  officers: z.array(officerEntry).max(MAX_OFFICERS, { error: 'complaint.officers.tooMany' }).default([]),
});

export const kindStep = z.strictObject({
  categories: z.array(z.string().max(40)).max(20).default([]),
});

export const witnessEntry = z
  .strictObject({
    name: optionalText(200),
    contact: optionalText(300),
    description: optionalText(2000),
  })
  .refine((w) => w.name ?? w.contact ?? w.description, { error: 'complaint.witnesses.entryEmpty', path: ['name'] });

export const witnessesStep = z.strictObject({
  witnesses: z.array(witnessEntry).max(MAX_WITNESSES, { error: 'complaint.witnesses.tooMany' }).default([]),
});

const email = z
  .string()
  .trim()
  .max(254)
  .optional()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.email({ error: 'validation.email' }).optional());

const phone = optionalText(40).refine((v) => v === undefined || /^[0-9+().\-\s]{7,40}$/.test(v), {
  error: 'validation.phone',
});

export const aboutStep = z
  .strictObject({
    filing: z.enum(FILING_AS, { error: 'complaint.about.filingRequired' }),
    name: optionalText(200),
    email,
    phone,
    address: optionalText(500),
    preferredLanguage: z.enum(LANGUAGE_CODES).optional(),
    preferredContact: z.enum(CONTACT_METHODS).optional(),
    relationship: optionalText(200),
    theirName: optionalText(200),
    theirEmail: email,
    theirPhone: phone,
  })
  .superRefine((about, ctx) => {
    const need = (field: keyof typeof about, error: string) => {
      if (about[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: error });
    };
    if (about.filing === 'anonymous') return; // whatever else was typed is dropped, never stored
    need('name', 'complaint.about.nameRequired');
    if (about.preferredContact === 'email') need('email', 'complaint.about.emailRequired');
    if (about.preferredContact === 'phone') need('phone', 'complaint.about.phoneRequired');
    if (about.preferredContact === 'mail') need('address', 'complaint.about.addressRequired');
    if (about.filing === 'someone_else') {
      need('relationship', 'complaint.about.relationshipRequired');
      need('theirName', 'complaint.about.theirNameRequired');
    }
  })
  .transform((about) =>
    about.filing === 'anonymous' ? { filing: 'anonymous' as const, preferredLanguage: about.preferredLanguage } : about,
  );

export const demographicsStep = z.strictObject({
  ageRange: z.enum(AGE_RANGES).optional(),
  gender: z.enum(GENDERS).optional(),
  races: z.array(z.enum(RACES)).max(RACES.length).default([]),
});

export const declarationsStep = z.strictObject({
  consent: z.literal(true, { error: 'complaint.check.consentRequired' }),
  truthful: z.literal(true, { error: 'complaint.check.truthfulRequired' }),
});

/** The whole complaint: what the API takes and what the form's steps add up to. */
export const complaintSubmission = z.strictObject({
  language: z.enum(LANGUAGE_CODES).default('en'),
  ...whatStep.shape,
  ...whenWhereStep.shape,
  ...officersStep.shape,
  ...kindStep.shape,
  ...witnessesStep.shape,
  about: aboutStep,
  demographics: demographicsStep.optional(),
  ...declarationsStep.shape,
});

export type ComplaintSubmission = z.output<typeof complaintSubmission>;
export type AboutYou = z.output<typeof aboutStep>;
export type Demographics = z.output<typeof demographicsStep>;
export type OfficerEntry = z.output<typeof officerEntry>;
export type WitnessEntry = z.output<typeof witnessEntry>;

export const TRACKING_NUMBER = /^OC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

export const statusLookup = z.strictObject({
  trackingNumber: z.string().trim().min(1, { error: 'status.trackingRequired' }).max(40),
  accessCode: z.string().trim().min(1, { error: 'status.codeRequired' }).max(60),
});

/** Where to email a copy of the receipt (never with its access code, #17 item 4). */
export const receiptEmail = z.strictObject({
  email: z
    .string({ error: 'receipt.email.required' })
    .trim()
    .min(1, { error: 'receipt.email.required' })
    .max(254, { error: 'validation.email' })
    .pipe(z.email({ error: 'validation.email' })),
});

export const addInformation = z.strictObject({
  information: z
    .string()
    .trim()
    .max(NARRATIVE_MAX, { error: 'status.addInformation.tooLong' })
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});

export const contactUpdate = z
  .strictObject({
    email,
    phone,
    address: optionalText(500),
    preferredLanguage: z.enum(LANGUAGE_CODES),
    preferredContact: z.enum(CONTACT_METHODS),
  })
  .superRefine((contact, ctx) => {
    const needed = { email: 'email', phone: 'phone', mail: 'address', none: undefined } as const;
    const field = needed[contact.preferredContact];
    if (field && contact[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `complaint.about.${field}Required` });
    }
  });
