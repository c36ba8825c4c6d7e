import { z } from 'zod';
import { CASE_WORKERS, EVENT_PARTIES, EVENT_TYPES } from '../../../workflows/complaint.permissions.js';
import { DISMISSAL_REASONS, TOLLING_REASONS, type ComplaintEventType } from '../../../workflows/complaint.types.js';
import { optionalText } from '../residents/complaint.schemas.js';
import { idSchema } from '../../domain/ids.js';
import { FINDINGS } from '../../domain/vocabulary.js';

/** Staff forms of the case file (R18: strict, capped). Messages are catalogue keys. */

/**
 * Events with their own forms on the case page (a finding per allegation, contact details), and
 * the board's, which follow its meetings (opening and closing the vote), not a case page.
 */
const OWN_FORMS = new Set<ComplaintEventType>(['DRAFT_FINDINGS', 'UPDATE_CONTACT', 'OPEN_VOTING', 'NO_QUORUM']);

/** The events of the case page's action forms (and the staff API): those staff may send, not the system's. */
export const STAFF_EVENTS = EVENT_TYPES.filter(
  (type) => EVENT_PARTIES[type].some((party) => CASE_WORKERS.includes(party)) && !OWN_FORMS.has(type),
) as [ComplaintEventType, ...ComplaintEventType[]];

export { FINDINGS };

export const uuid = idSchema();
const version = z.coerce.number().int().min(0).max(1_000_000_000);
const text = (max: number, error = 'validation.required') => z.string().trim().min(1, { error }).max(max);

export const noteForm = z.strictObject({
  kind: z.enum(['note', 'interview']),
  body: text(20_000, 'caseFile.notes.bodyRequired'),
});

export const allegationForm = z
  .strictObject({
    category: z.string().min(1, { error: 'caseFile.allegations.categoryRequired' }).max(40),
    officerId: z.union([z.literal(''), uuid]).optional(),
    officerDescription: optionalText(500),
    summary: optionalText(2000),
  })
  .refine((v) => Boolean(v.officerId) || Boolean(v.officerDescription), {
    path: ['officerId'],
    error: 'caseFile.allegations.officerRequired',
  });

/** The details each workflow event needs from a form; events without details take none. */
export const eventForms = {
  REFER: z.strictObject({ version, agency: text(200, 'caseFile.actions.agencyRequired') }),
  DISMISS: z.strictObject({ version, reason: z.enum(DISMISSAL_REASONS, { error: 'caseFile.actions.reasonRequired' }) }),
  ASSIGN: z.strictObject({ version, investigatorId: uuid }),
  TOLL: z.strictObject({ version, reason: z.enum(TOLLING_REASONS, { error: 'caseFile.actions.reasonRequired' }) }),
  REOPEN: z.strictObject({ version, reason: text(2000, 'caseFile.actions.reopenReasonRequired') }),
  ADD_INFORMATION: z.strictObject({ version, information: text(20_000, 'caseFile.actions.informationRequired') }),
} as const;

export const plainEvent = z.strictObject({ version });

/**
 * The findings form (#17 item 9): `finding-<allegation id>` and `rationale-<allegation id>` for every
 * allegation, and what to do with them. Saving keeps a partial draft (any field may be blank);
 * submitting needs a finding and its reasons for every allegation.
 */
export function findingsForm(allegationIds: string[], intent: 'save' | 'submit') {
  const shape: Record<string, z.ZodType> = { version, intent: z.literal(intent) };
  for (const id of allegationIds) {
    shape[`finding-${id}`] =
      intent === 'submit'
        ? z.enum(FINDINGS, { error: 'caseFile.findings.findingRequired' })
        : z.union([z.literal(''), z.enum(FINDINGS)], { error: 'caseFile.findings.findingRequired' }).optional();
    shape[`rationale-${id}`] =
      intent === 'submit' ? text(5000, 'caseFile.findings.rationaleRequired') : optionalText(5000);
  }
  return z.strictObject(shape);
}

/** Which button of the findings form was pressed; anything else is refused with the form's errors. */
export const findingsIntent = z.enum(['save', 'submit']);

/** The confirmation of an irreversible step (#17 item 10): the same form again, with `confirm=yes`. */
export const CONFIRMED_EVENTS = new Set<ComplaintEventType>(['DISMISS', 'WITHDRAW', 'CLOSE_WITHDRAWN']);
