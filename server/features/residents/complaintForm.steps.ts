import type { z } from 'zod';
import {
  aboutStep,
  complaintSubmission,
  declarationsStep,
  demographicsStep,
  kindStep,
  officerEntry,
  officersStep,
  whatStep,
  whenWhereStep,
  witnessEntry,
  witnessesStep,
} from './complaint.schemas.js';
import type { DraftData } from './intake.service.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';

/** The complaint form's steps, in order; each URL is /complaint/<step>. */
export const STEPS = [
  'what',
  'when-where',
  'officers',
  'kind',
  'witnesses',
  'evidence',
  'about-you',
  'demographics',
  'check',
] as const;
export type Step = (typeof STEPS)[number];

export const isStep = (value: unknown): value is Step => STEPS.includes(value as Step);

const checked = (value: unknown) => value === 'yes';

/** A person entered in the repeating part of a step (an officer, a witness), by its form fields. */
function entryFrom(fields: FormBody, prefix: string, names: Record<string, string>) {
  const entry: Record<string, string> = {};
  let any = false;
  for (const [field, key] of Object.entries(names)) {
    const value = fields[`${prefix}${field}`];
    delete fields[`${prefix}${field}`];
    if (typeof value === 'string') {
      entry[key] = value;
      if (value.trim() !== '') any = true;
    }
  }
  return any ? entry : undefined;
}

export type StepResult = { ok: true; value: unknown } | { ok: false; error: z.ZodError; values: FormBody };

/**
 * Parses one step's posted fields with that step's schema. Officers and witnesses add one entry
 * at a time to those already in the draft; `remove` drops one by its position.
 */
export function parseStep(step: Step, body: unknown, draft: DraftData, remove?: number): StepResult {
  const result = (schema: z.ZodType, input: unknown, values: FormBody): StepResult => {
    const parsed = schema.safeParse(input);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error, values };
  };
  switch (step) {
    case 'what':
      return result(whatStep, answerFields(body), answerFields(body));
    case 'when-where':
      return result(whenWhereStep, answerFields(body), answerFields(body));
    case 'kind': {
      const fields = answerFields(body, ['categories']);
      return result(kindStep, fields, fields);
    }
    case 'demographics': {
      const fields = answerFields(body, ['races']);
      const input = { ...fields, ageRange: fields['ageRange'] || undefined, gender: fields['gender'] || undefined };
      return result(demographicsStep, input, fields);
    }
    case 'about-you': {
      const fields = answerFields(body);
      const input = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, v === '' && isChoice(k) ? undefined : v]),
      );
      return result(aboutStep, input, fields);
    }
    case 'officers': {
      const fields = answerFields(body);
      const values = { ...fields };
      const existing = listOf(draft.answers['officers'], 'officers');
      const added = entryFrom(fields, 'officer', { Name: 'name', Badge: 'badgeNumber', Description: 'description' });
      if (added) {
        const entry = officerEntry.safeParse(added);
        if (!entry.success) return { ok: false, error: prefixed(entry.error, 'officer'), values };
      }
      const officersUnknown = checked(fields['officersUnknown']);
      delete fields['officersUnknown'];
      const officers = [...without(existing, remove), ...(added ? [added] : [])];
      return result(officersStep, { ...fields, officersUnknown, officers }, values);
    }
    case 'witnesses': {
      const fields = answerFields(body);
      const values = { ...fields };
      const existing = listOf(draft.answers['witnesses'], 'witnesses');
      const added = entryFrom(fields, 'witness', { Name: 'name', Contact: 'contact', Description: 'description' });
      if (added) {
        const entry = witnessEntry.safeParse(added);
        if (!entry.success) return { ok: false, error: prefixed(entry.error, 'witness'), values };
      }
      const witnesses = [...without(existing, remove), ...(added ? [added] : [])];
      return result(witnessesStep, { ...fields, witnesses }, values);
    }
    case 'check': {
      const fields = answerFields(body);
      const input = { ...fields, consent: checked(fields['consent']), truthful: checked(fields['truthful']) };
      return result(declarationsStep, input, fields);
    }
    case 'evidence':
      return { ok: true, value: {} };
  }
}

const isChoice = (field: string) => ['filing', 'preferredLanguage', 'preferredContact'].includes(field);

function listOf(answer: unknown, key: string): unknown[] {
  const list = (answer as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(list) ? list : [];
}

function without<T>(list: T[], index: number | undefined): T[] {
  return index === undefined ? list : list.filter((_, i) => i !== index);
}

/** Errors of one added entry, named by its form fields (officerName, witnessContact, ...). */
function prefixed(error: z.ZodError, prefix: string): z.ZodError {
  const names: Record<string, string> = {
    name: 'Name',
    badgeNumber: 'Badge',
    description: 'Description',
    contact: 'Contact',
  };
  for (const issue of error.issues) {
    const last = String(issue.path.at(-1) ?? 'name');
    (issue as { path: PropertyKey[] }).path = [`${prefix}${names[last] ?? 'Name'}`];
  }
  return error;
}

/** The whole complaint as the API would receive it, from the draft's answers. */
export function assembled(draft: DraftData, language: string, declarations: unknown) {
  const a = draft.answers as Record<string, Record<string, unknown> | undefined>;
  return complaintSubmission.safeParse({
    language,
    ...a['what'],
    ...a['when-where'],
    ...a['officers'],
    ...a['kind'],
    ...a['witnesses'],
    about: a['about-you'],
    demographics: a['demographics'],
    ...(declarations as object),
  });
}

/** Which step asks for a field of the whole complaint, to link an error to where it is fixed. */
export function stepOfField(field: string): Step {
  const top = field.split('.')[0]!;
  if (top === 'narrative') return 'what';
  if (['incidentDate', 'incidentTime', 'location', 'district'].includes(top)) return 'when-where';
  if (top === 'officers' || top === 'officersUnknown') return 'officers';
  if (top === 'categories') return 'kind';
  if (top === 'witnesses') return 'witnesses';
  if (top === 'about') return 'about-you';
  if (top === 'demographics') return 'demographics';
  return 'check';
}
