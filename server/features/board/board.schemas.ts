import { DateTime } from 'luxon';
import { z } from 'zod';
import { FINDINGS } from '../cases/caseFile.schemas.js';

/** The board's staff forms: meetings, agenda, ballots, recusal and the admin's settings (R18). Messages are catalogue keys. */

export { ID_PATTERN as UUID } from '../../domain/ids.js';
/** A day YYYY-MM-DD in a year the forms handle (1900–2199). */
const ISO_DAY = /^(19|20|21)\d{2}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An optional text: blank is null, otherwise trimmed and capped. */
const optional = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, { error: tooLong })
    .optional()
    .transform((v) => (v ? v : null));

export const meetingForm = z.strictObject({
  date: z
    .string({ error: 'board.schedule.dateRequired' })
    .trim()
    .min(1, { error: 'board.schedule.dateRequired' })
    .refine((v) => ISO_DAY.test(v) && DateTime.fromISO(v).isValid, { error: 'board.schedule.dateInvalid' }),
  time: z
    .string({ error: 'board.schedule.timeRequired' })
    .trim()
    .min(1, { error: 'board.schedule.timeRequired' })
    .regex(HH_MM, { error: 'board.schedule.timeInvalid' }),
  location: optional(500, 'board.schedule.locationTooLong'),
});

/** The moment a meeting form names, read in the agency's time zone. */
export function meetingTime(form: z.infer<typeof meetingForm>, timeZone: string): Date {
  return DateTime.fromISO(`${form.date}T${form.time}`, { zone: timeZone }).toJSDate();
}

/** A case to add: one of the cases waiting for a meeting (the list the form offers). */
export function addCaseForm(waiting: readonly string[]) {
  return z.strictObject({
    complaintId: z
      .string({ error: 'board.agenda.caseRequired' })
      .min(1, { error: 'board.agenda.caseRequired' })
      .refine((id) => waiting.includes(id), { error: 'board.agenda.caseNotWaiting' }),
  });
}

/** Closing the vote takes a second, confirming step. */
export const closeForm = z.strictObject({ confirm: z.literal('yes').optional() });

/** An empty form (open voting, remove an item): the token only. */
export const emptyForm = z.strictObject({});

/** Opening the vote: `early` confirms it on a meeting scheduled for a later day (#17 item 11). */
export const openVotingForm = z.strictObject({ early: z.literal('yes').optional() });

/** A member's ballot: `finding-<id>`, `rationale-<id>` and `recommendation-<id>` for every allegation. */
export function ballotForm(allegationIds: readonly string[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const id of allegationIds) {
    shape[`finding-${id}`] = z.enum(FINDINGS, { error: 'board.ballot.findingRequired' });
    shape[`rationale-${id}`] = optional(10_000, 'board.ballot.rationaleTooLong');
    shape[`recommendation-${id}`] = optional(5_000, 'board.ballot.recommendationTooLong');
  }
  return z.strictObject(shape);
}

/** The ballot's answers as the vote service takes them, in the allegations' order. */
export function ballotEntries(allegationIds: readonly string[], data: Record<string, unknown>) {
  return allegationIds.map((id) => ({
    allegationId: id,
    finding: data[`finding-${id}`] as (typeof FINDINGS)[number],
    rationale: (data[`rationale-${id}`] as string | null) ?? null,
    recommendation: (data[`recommendation-${id}`] as string | null) ?? null,
  }));
}

export const recuseForm = z.strictObject({
  reason: z
    .string({ error: 'board.recuse.reasonRequired' })
    .trim()
    .min(1, { error: 'board.recuse.reasonRequired' })
    .max(2000, { error: 'board.recuse.reasonTooLong' }),
  confirm: z.literal('yes', { error: 'board.recuse.confirmRequired' }),
});

const yesNo = (error: string) => z.enum(['yes', 'no'], { error }).transform((v) => v === 'yes');

/**
 * The admin's board settings. Seated ids must be board members (the list the form offers); a
 * fixed quorum is a whole number 1–50 and no more than the members seated.
 */
export function boardSettingsForm(memberIds: readonly string[]) {
  return z
    .strictObject({
      seated: z
        .array(z.string())
        .max(200, { error: 'board.settings.unknownMember' })
        .refine((ids) => ids.every((id) => memberIds.includes(id)), { error: 'board.settings.unknownMember' })
        .transform((ids) => [...new Set(ids)]),
      quorum: z.enum(['majority', 'fixed'], { error: 'board.settings.quorumChoose' }),
      quorumCount: z.string().trim().max(10).optional(),
      tieRule: z.enum(['not_sustained', 'carry_over'], { error: 'board.settings.tieRuleChoose' }),
      seesIdentity: yesNo('board.settings.seesIdentityChoose'),
      publicMemberNames: yesNo('board.settings.publicNamesChoose'),
    })
    .superRefine((v, ctx) => {
      if (v.quorum !== 'fixed') return;
      const count = /^\d{1,2}$/.test(v.quorumCount ?? '') ? Number(v.quorumCount) : NaN;
      if (!(count >= 1 && count <= 50)) {
        ctx.addIssue({ code: 'custom', path: ['quorumCount'], message: 'board.settings.quorumCountRange' });
      } else if (count > v.seated.length) {
        ctx.addIssue({ code: 'custom', path: ['quorumCount'], message: 'board.settings.quorumCountSeated' });
      }
    })
    .transform((v) => ({
      seated: v.seated,
      quorum:
        v.quorum === 'fixed' ? { kind: 'fixed' as const, count: Number(v.quorumCount) } : { kind: 'majority' as const },
      tieRule: v.tieRule,
      seesIdentity: v.seesIdentity,
      publicMemberNames: v.publicMemberNames,
    }));
}
