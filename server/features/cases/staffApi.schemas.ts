import { idSchema } from '../../domain/ids.js';
import { z } from 'zod';
import { EVENT_TYPES } from '../../../workflows/complaint.permissions.js';
import { STAGES, type ComplaintEventType } from '../../../workflows/complaint.types.js';
import { FINDINGS, STAFF_EVENTS, eventForms, plainEvent, uuid } from './caseFile.schemas.js';
import { trackingNumberFilter } from './caseQueue.schemas.js';
import type { QueueFilters } from './caseQueue.service.js';
import { DEADLINE_BADGES } from '../../platform/deadlines/deadlineBadge.js';

/** The admin's form that issues a token, and the staff API's input (R18: strict, capped). */

export const tokenForm = z.strictObject({
  userId: idSchema('apiTokens.form.userRequired'),
  name: z.string().trim().min(1, { error: 'apiTokens.form.nameRequired' }).max(100),
});

export const tokenId = uuid;

/** What staff can send through the API: the case page's action forms (caseFile.schemas.ts). */
export const API_EVENTS = STAFF_EVENTS;

/** The details schema of each event: the HTML forms' (caseFile.schemas.ts). */
export function eventDetailsSchema(type: ComplaintEventType): typeof plainEvent {
  return (eventForms as Record<string, typeof plainEvent>)[type] ?? plainEvent;
}

const eventHead = z.looseObject({ type: z.enum(API_EVENTS, { error: 'apiTokens.api.eventType' }) });

/** `{ type, version, ...details }`: the type picks the form schema that checks the rest. */
export function parseEvent(body: unknown) {
  const head = eventHead.safeParse(body ?? {});
  if (!head.success) return head;
  const { type, ...rest } = head.data;
  const details = eventDetailsSchema(type).safeParse(rest);
  if (!details.success) return details;
  const { version, ...fields } = details.data as { version: number } & Record<string, string>;
  return { success: true as const, data: { type, version, details: fields } };
}

const flag = z.enum(['true', 'false'], { error: 'validation.choose' }).transform((v) => v === 'true');
const code = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\w-]+$/, { error: 'validation.invalid' });

/**
 * The case queue's filters, as query parameters (`lang` is the language switch, read elsewhere).
 * Several deadline flags together mean cases with any of them; `open` defaults to true.
 */
export const caseQueueQuery = z
  .strictObject({
    stage: z.enum(STAGES, { error: 'validation.choose' }).optional(),
    assignee: idSchema('validation.invalid').optional().describe("An investigator's user id"),
    overdue: flag.optional(),
    dueSoon: flag.optional().describe('Due within 14 days, or warned about'),
    tolled: flag.optional(),
    category: code.optional(),
    district: code.optional(),
    trackingNumber: trackingNumberFilter.optional(),
    open: flag.optional().describe('Only cases not closed (default true)'),
    page: z.coerce.number({ error: 'queue.filters.pageInvalid' }).int().min(1).max(100_000).optional(),
    lang: z.enum(['en', 'es']).optional(),
  })
  .transform((q): QueueFilters => ({
    stage: q.stage,
    assigneeId: q.assignee,
    overdue: q.overdue,
    dueSoon: q.dueSoon,
    tolled: q.tolled,
    category: q.category,
    district: q.district,
    trackingNumber: q.trackingNumber,
    openOnly: q.open ?? true,
    page: q.page ?? 1,
  }));

/** One request body per event type, for the OpenAPI document. */
export const eventRequest = z.union(
  API_EVENTS.map((type) => eventDetailsSchema(type).extend({ type: z.literal(type) })),
);

/** Answers of the staff API, for the OpenAPI document. */
const when = z.iso.datetime();
const nullableWhen = when.nullable();

export const apiError = z.object({
  error: z.object({
    status: z.number().int(),
    message: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const eventResult = z.object({ state: z.string(), version: z.number().int() });

export const caseDetail = z.object({
  id: idSchema(),
  trackingNumber: z.string(),
  stage: z.string(),
  state: z.string(),
  version: z.number().int(),
  receivedAt: when,
  district: z.string().nullable(),
  anonymous: z.boolean(),
  complainants: z
    .array(
      z.object({
        role: z.enum(['complainant', 'filer']),
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        address: z.string().nullable(),
        preferredLanguage: z.enum(['en', 'es']),
        preferredContact: z.string().nullable(),
      }),
    )
    .optional()
    .describe('Only for roles that may see the complainant (R15)'),
  allegations: z.array(
    z.object({
      id: idSchema(),
      category: z.string(),
      officer: z.object({ id: idSchema(), name: z.string(), badgeNumber: z.string().nullable() }).nullable(),
      draftFinding: z.enum(FINDINGS).nullable(),
      finding: z.enum(FINDINGS).nullable(),
    }),
  ),
  deadlines: z.array(
    z.object({
      kind: z.string(),
      dueAt: when,
      status: z.string(),
      tolledAt: nullableWhen,
      completedAt: nullableWhen,
    }),
  ),
  availableActions: z.array(z.enum(EVENT_TYPES as [ComplaintEventType, ...ComplaintEventType[]])),
  timeline: z.array(z.object({ key: z.string(), at: when })),
});

/** One page of the case queue (caseQueue.service.ts), sorted by next due date. */
export const caseQueuePage = z.object({
  items: z.array(
    z.object({
      id: idSchema(),
      trackingNumber: z.string(),
      stage: z.enum(STAGES),
      state: z.string(),
      receivedAt: when,
      district: z.string().nullable(),
      categories: z.array(z.string()),
      assigneeId: idSchema().nullable(),
      assigneeName: z.string().nullable(),
      nextDueAt: nullableWhen.describe('The earliest due time of the running clocks that are not tolled'),
      badge: z.enum(DEADLINE_BADGES).nullable().describe('Null for a closed case'),
    }),
  ),
  total: z.number().int().describe('Matching cases, counted up to 10,000'),
  totalCapped: z.boolean().describe('More cases match than were counted: total is a lower bound'),
  page: z.number().int(),
  pageSize: z.number().int(),
});
