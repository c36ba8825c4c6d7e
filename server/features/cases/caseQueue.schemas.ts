import { z } from 'zod';
import { STAGES } from '../../../workflows/complaint.types.js';
import { BADGE_FILTERS, QUEUE_VIEWS, type QueueFilters, type QueueView } from './caseQueue.service.js';
import { normaliseTrackingNumber } from '../../platform/workflow/complaint.codes.js';
import { TRACKING_NUMBER } from '../residents/complaint.schemas.js';

/** The case queue's filters, a GET query (R18: strict, capped). Messages are catalogue keys. */

/** The codes and ids the form offers; a value it does not offer is refused. */
export interface QueueChoices {
  categories: readonly string[];
  districts: readonly string[];
  /** Investigators' ids: only for supervisors, who alone may filter by assignee. */
  investigators?: readonly string[] | undefined;
  /** Only for those who triage: the list a bare /staff/cases shows ('new' or 'all'). */
  landing?: QueueView | undefined;
}

const offered = (values: readonly string[]) =>
  z
    .string()
    .max(40)
    .refine((v) => values.includes(v), { error: 'validation.choose' });
/** A whole tracking number, typed as a resident might read it out ('oc 7k4p 9q2m'). */
export const trackingNumberFilter = z
  .string()
  .max(20, { error: 'queue.filters.numberInvalid' })
  .transform(normaliseTrackingNumber)
  .refine((v) => TRACKING_NUMBER.test(v), { error: 'queue.filters.numberInvalid' });
const checked = z.literal('1', { error: 'validation.invalid' });
const badge = z.enum(BADGE_FILTERS, { error: 'validation.choose' });

/** An empty field of a submitted GET form means "any". */
const withoutEmpty = (query: unknown) =>
  Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));

/**
 * The queue's query string. `open` is a checkbox that is on by default: the form sends
 * `filtered=1`, so a submitted form without `open` means all cases, and a bare link means open ones.
 * `view=new` (for those who triage) lists the new cases not yet triaged; a bare link lists them too
 * when that is where the viewer starts, and `view=all` the whole queue.
 */
export function queueQuery(choices: QueueChoices) {
  return z.preprocess(
    withoutEmpty,
    z
      .strictObject({
        stage: z.enum(STAGES, { error: 'validation.choose' }).optional(),
        ...(choices.investigators ? { assignee: offered(choices.investigators).optional() } : {}),
        ...(choices.landing ? { view: z.enum(QUEUE_VIEWS, { error: 'queue.views.invalid' }).optional() } : {}),
        deadline: z.union([badge, z.array(badge).max(BADGE_FILTERS.length)], { error: 'validation.choose' }).optional(),
        category: offered(choices.categories).optional(),
        district: offered(choices.districts).optional(),
        number: trackingNumberFilter.optional(),
        open: checked.optional(),
        filtered: checked.optional(),
        page: z
          .string()
          .regex(/^0*[1-9]\d{0,5}$/, { error: 'queue.filters.pageInvalid' })
          .transform(Number)
          .optional(),
        lang: z.enum(['en', 'es']).optional(),
      })
      .transform(({ deadline, ...q }): QueueFilters => {
        const badges = new Set<string>(([] as string[]).concat(deadline ?? []));
        const view = 'view' in q ? (q.view as QueueView | undefined) : undefined;
        const bare = deadline === undefined && Object.entries(q).every(([k, v]) => k === 'lang' || v === undefined);
        return {
          stage: q.stage,
          assigneeId: 'assignee' in q ? (q.assignee as string | undefined) : undefined,
          overdue: badges.has('overdue') || undefined,
          dueSoon: badges.has('dueSoon') || undefined,
          tolled: badges.has('tolled') || undefined,
          category: q.category,
          district: q.district,
          trackingNumber: q.number,
          untriaged: view === 'new' || (bare && choices.landing === 'new') || undefined,
          openOnly: q.open === '1' || q.filtered === undefined,
          page: q.page ?? 1,
        };
      }),
  );
}

/** The query string of the queue with these filters at this page ('' for the plain queue). */
export function queueSearch(filters: QueueFilters, page = 1): string {
  const params = new URLSearchParams();
  if (filters.stage) params.set('stage', filters.stage);
  if (filters.assigneeId) params.set('assignee', filters.assigneeId);
  for (const b of BADGE_FILTERS) if (filters[b]) params.append('deadline', b);
  if (filters.category) params.set('category', filters.category);
  if (filters.district) params.set('district', filters.district);
  if (filters.trackingNumber) params.set('number', filters.trackingNumber);
  if (filters.untriaged) params.set('view', 'new');
  if (filters.openOnly === false) params.set('filtered', '1');
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
