import { Router, type Request, type Response } from 'express';

import { queueQuery, queueSearch } from './caseQueue.schemas.js';
import { BADGE_FILTERS } from './caseQueue.service.js';
import type { Services } from '../../compose.js';
import { STAGES } from '../../../workflows/complaint.types.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { allowed, requirePermission, viewerOf } from '../../platform/http/guards.js';

/** The form's fields; an error about any other key of the query is shown against the form. */
const FORM_FIELDS = new Set(['stage', 'assignee', 'deadline', 'category', 'district', 'number', 'open', 'page']);

/** The query as the form shows it again: strings, and the checkboxes as lists. */
function formValues(query: Request['query']) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) => ([] as unknown[]).concat(v ?? []).map(text);
  return {
    ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, text(v)])),
    deadline: list(query['deadline']),
    open: query['filtered'] === undefined || query['open'] === '1' ? ['1'] : [],
  };
}

function formErrorsOf(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors
    .map((e) => (FORM_FIELDS.has(e.field) ? e : { field: 'filters', text: e.text }))
    .filter((e) => !seen.has(e.field) && seen.add(e.field));
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseQueue' | 'reference'>;

/** The case queue (/staff/cases) and the supervisors' caseload. Mounted before the case file's /cases/:id. */
export function caseQueueRoutes(services: Deps): Router {
  const router = Router();
  const { caseQueue, reference } = services;

  router.get('/cases', requirePermission('cases.read'), async (req, res) => {
    const viewer = viewerOf(req);
    const [categories, districts, assignees, views] = await Promise.all([
      reference.categories(req.language),
      reference.districts(req.language),
      caseQueue.assignees(viewer),
      caseQueue.views(viewer),
    ]);
    // Where the whole queue is, for those who start from the new cases: a bare link would show those.
    const allHref = views?.landing === 'new' ? '/staff/cases?view=all' : '/staff/cases';
    const locals = {
      navCurrent: 'cases',
      values: formValues(req.query),
      choices: {
        stages: STAGES.map((value) => ({ value, label: req.t(`caseStage.${value}`) })),
        deadlines: BADGE_FILTERS.map((value) => ({ value, label: req.t(`queue.filters.deadline.${value}`) })),
        categories,
        districts,
        assignees: assignees?.map((a) => ({ value: a.id, label: a.name })),
      },
      mayCaseload: allowed(req, 'cases.caseload'),
      views,
      view: 'all',
      allHref,
    };
    const parsed = queueQuery({
      categories: categories.map((c) => c.value),
      districts: districts.map((d) => d.value),
      investigators: assignees?.map((a) => a.id),
      landing: views?.landing,
    }).safeParse(req.query);
    if (!parsed.success) {
      const errors = formErrorsOf(fieldErrors(parsed.error, req.t));
      return res.status(400).render('staff/cases/queue.njk', { ...locals, errors, fieldError: byField(errors) });
    }
    const filters = parsed.data;
    const queue = await caseQueue.page(viewer, filters, req.language);
    const first = (queue.page - 1) * queue.pageSize;
    const last = first + queue.items.length;
    const at = (page: number) => {
      const search = queueSearch(filters, page);
      return search ? `/staff/cases${search}` : allHref;
    };
    // A page past the end (cases closed meanwhile) offers the first page instead of the previous one.
    const shown = queue.items.length > 0;
    return res.render('staff/cases/queue.njk', {
      ...locals,
      view: filters.untriaged ? 'new' : 'all',
      errors: [],
      fieldError: {},
      queue,
      // Past the count's cap, "more than 1,000" in the reader's digits.
      range: {
        from: first + 1,
        to: last,
        total: queue.totalCapped ? queue.total.toLocaleString(req.language) : queue.total,
      },
      capped: queue.totalCapped,
      previousHref: queue.page > 1 && shown ? at(queue.page - 1) : undefined,
      nextHref: shown && queue.total > last ? at(queue.page + 1) : undefined,
      firstHref: queue.page > 1 && !shown ? at(1) : undefined,
    });
  });

  router.get('/cases/caseload', requirePermission('cases.caseload'), async (req: Request, res: Response) => {
    const investigators = await caseQueue.caseload(viewerOf(req));
    const href = (id: string, deadline?: string) =>
      `/staff/cases${queueSearch({ assigneeId: id, ...(deadline ? { [deadline]: true } : {}) })}`;
    res.render('staff/cases/caseload.njk', {
      navCurrent: 'cases',
      investigators: investigators.map((i) => ({
        ...i,
        href: {
          open: href(i.id),
          overdue: href(i.id, 'overdue'),
          dueSoon: href(i.id, 'dueSoon'),
          tolled: href(i.id, 'tolled'),
        },
      })),
    });
  });

  return router;
}
