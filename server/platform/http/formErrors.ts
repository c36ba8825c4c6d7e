import type { z } from 'zod';
import type { Translate } from '../i18n.js';

export interface FieldError {
  /** The form field's name (a dotted path for nested API input). */
  field: string;
  text: string;
}

/**
 * A zod error as messages in the reader's language, one per field, in form order. A schema names
 * its own message with a catalogue key; anything else gets a message by the kind of problem.
 */
export function fieldErrors(error: z.ZodError, t: Translate): FieldError[] {
  const seen = new Map<string, string>();
  for (const issue of error.issues) {
    const fields =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...issue.path, key].join('.'))
        : [issue.path.join('.')];
    for (const field of fields) {
      if (!seen.has(field)) seen.set(field, messageOf(issue, t));
    }
  }
  return [...seen].map(([field, text]) => ({ field, text }));
}

function messageOf(issue: z.core.$ZodIssue, t: Translate): string {
  if (/^[a-z][A-Za-z]*(\.[A-Za-z]+)+$/.test(issue.message)) return t(issue.message);
  switch (issue.code) {
    case 'too_big':
      // Only text is "too long"; a number out of range is simply not a valid value.
      return issue.origin === 'string'
        ? t('validation.tooLong', { max: Number(issue.maximum) })
        : t('validation.invalid');
    case 'too_small':
      return t('validation.required');
    case 'invalid_type':
      return issue.input === undefined ? t('validation.required') : t('validation.invalid');
    case 'invalid_value':
      return t('validation.choose');
    case 'unrecognized_keys':
      return t('validation.unknownField');
    default:
      return t('validation.invalid');
  }
}

/** The errors keyed by field, for templates to show beside each input. */
export function byField(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.text]));
}
