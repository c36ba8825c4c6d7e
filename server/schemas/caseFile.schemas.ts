import { z } from 'zod';
import { DISMISSAL_REASONS, TOLLING_REASONS } from '../../workflows/complaint.types.js';
import { optionalText } from './complaint.schemas.js';

/** Staff forms of the case file (R18: strict, capped). Messages are catalogue keys. */

export const FINDINGS = [
  'sustained',
  'not_sustained',
  'exonerated',
  'unfounded',
  'policy_failure',
  'officer_unidentified',
  'mediated',
  'withdrawn',
] as const;

export const uuid = z.uuid({ error: 'validation.invalid' });
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

/** Draft findings: `finding-<allegation id>` and `rationale-<allegation id>` for every allegation. */
export function findingsForm(allegationIds: string[]) {
  const shape: Record<string, z.ZodType> = { version };
  for (const id of allegationIds) {
    shape[`finding-${id}`] = z.enum(FINDINGS, { error: 'caseFile.findings.findingRequired' });
    shape[`rationale-${id}`] = text(5000, 'caseFile.findings.rationaleRequired');
  }
  return z.strictObject(shape);
}
