import type { Clock } from '../../platform/clock.js';
import { NotFound } from '../../domain/errors.js';
import { may } from '../../domain/policy.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import { assignableInvestigators } from './caseFile.repository.js';
import { caseloadRows, queueCounts, queuePage, type QueueCheck, type QueueRow } from './caseQueue.repository.js';
import type { Language } from '../../platform/i18n.js';
import type { Stage } from '../../domain/vocabulary.js';
import { deadlineBadge, dueSoonLimit, type DeadlineBadge } from '../../platform/deadlines/deadlineBadge.js';

export const QUEUE_PAGE_SIZE = 25;
/** The badges the queue filters by; "on time" is what is left. */
export const BADGE_FILTERS = ['overdue', 'dueSoon', 'tolled'] as const;
/** The queue's lists for those who triage: new cases not yet triaged, and all cases. */
export const QUEUE_VIEWS = ['new', 'all'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** The lists a viewer who triages chooses between: where /staff/cases starts, and their counts. */
export interface QueueViews {
  landing: QueueView;
  /** Open cases the viewer may see, new ones not yet triaged among them. */
  counts: { new: number; open: number };
}

/** What the queue can be asked for (the staff pages' form and the staff API both pass these). */
export interface QueueFilters {
  stage?: Stage | undefined;
  assigneeId?: string | undefined;
  /** Several badges: cases with any of them. */
  overdue?: boolean | undefined;
  dueSoon?: boolean | undefined;
  tolled?: boolean | undefined;
  category?: string | undefined;
  district?: string | undefined;
  /** Exact, normalised: 'OC-XXXX-XXXX'. */
  trackingNumber?: string | undefined;
  /** Only new cases not yet triaged, the oldest received first. */
  untriaged?: boolean | undefined;
  /** Leave out closed cases; true unless said otherwise. */
  openOnly?: boolean | undefined;
  /** From 1; 25 cases a page. */
  page?: number | undefined;
}

/** One case of the queue as plain data (the staff API answers with these). */
export interface QueueItem {
  id: string;
  trackingNumber: string;
  stage: string;
  state: string;
  /** ISO 8601. */
  receivedAt: string;
  district: string | null;
  categories: string[];
  assigneeId: string | null;
  assigneeName: string | null;
  /** The earliest due time of the running clocks that are not tolled (ISO 8601), or null. */
  nextDueAt: string | null;
  badge: DeadlineBadge | null;
}

export interface QueueList<T = QueueItem> {
  items: T[];
  total: number;
  /** More cases match than were counted (COUNT_CAP): `total` is a lower bound. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

/** Only supervisors see everyone's caseload. */
export class CaseloadNotVisible extends NotFound {}

export type CaseQueueService = ReturnType<typeof caseQueueService>;

/**
 * The case queue and the supervisors' caseload. Every read goes through caseVisibleTo (R14) in the
 * repository; lists of case metadata without identity or narrative, so not audited as case reads.
 */
export function caseQueueService(deps: { db: Db; clock: Clock }) {
  const now = deps.clock;
  const isSupervisor = (viewer: Viewer) => may(viewer, 'cases.caseload');

  async function load(viewer: Viewer, filters: QueueFilters, names: boolean, check?: QueueCheck) {
    const at = now();
    const page = Math.max(1, Math.floor(filters.page ?? 1));
    const { rows, total, more, checked } = await queuePage(
      deps.db,
      viewer,
      {
        stage: filters.stage,
        assigneeId: filters.assigneeId,
        badges: BADGE_FILTERS.filter((b) => filters[b]),
        category: filters.category,
        district: filters.district,
        trackingNumber: filters.trackingNumber,
        untriaged: filters.untriaged ?? false,
        openOnly: filters.openOnly ?? true,
        limit: QUEUE_PAGE_SIZE,
        offset: (page - 1) * QUEUE_PAGE_SIZE,
        names,
      },
      at,
      dueSoonLimit(at),
      check,
    );
    return { rows, total, more, page, at, checked };
  }

  const itemOf = (row: QueueRow, at: Date): QueueItem => {
    const nextDue = row.next_due === null ? null : new Date(row.next_due);
    return {
      id: row.id,
      trackingNumber: row.tracking_number,
      stage: row.stage,
      state: row.state,
      receivedAt: new Date(row.received_at).toISOString(),
      district: row.district,
      categories: row.categories,
      assigneeId: row.assignee_id,
      assigneeName: row.assignee_name,
      nextDueAt: nextDue?.toISOString() ?? null,
      badge: deadlineBadge(
        row.stage === 'closed',
        { nextDueAt: nextDue, breached: row.breached, warned: row.warned, tolled: row.tolled },
        at,
      ),
    };
  };

  async function listIf(viewer: Viewer, filters: QueueFilters, check?: QueueCheck): Promise<QueueList | undefined> {
    const { rows, total, more, page, at, checked } = await load(viewer, filters, false, check);
    if (!checked) return undefined;
    return { items: rows.map((row) => itemOf(row, at)), total, totalCapped: more, page, pageSize: QUEUE_PAGE_SIZE };
  }

  return {
    /** One page (25) of the cases this viewer may see, matching the filters. */
    async list(viewer: Viewer, filters: QueueFilters = {}): Promise<QueueList> {
      return (await listIf(viewer, filters))!;
    },

    /**
     * The same page, read only if `check` holds in the same statement (a bearer token recalled
     * without a lookup, apiTokens.recall): undefined when it does not, and nothing was read.
     */
    listIf,

    /** The same page with the names of districts and categories in the reader's language. */
    async page(viewer: Viewer, filters: QueueFilters, language: Language) {
      const { rows, total, more, page, at } = await load(viewer, filters, true);
      const items = rows.map((row) => ({
        ...itemOf(row, at),
        districtName: (language === 'es' ? row.district_es : row.district_en) ?? row.district,
        categoryNames: (row.category_names ?? []).map((c) => (language === 'es' ? c.es : c.en)),
      }));
      return { items, total, totalCapped: more, page, pageSize: QUEUE_PAGE_SIZE };
    },

    /**
     * For those who triage, the list of new cases beside all cases, with counts; undefined for
     * others. Those who triage start from the new cases, unless they oversee the caseloads: then
     * from every open case, the soonest deadline first.
     */
    async views(viewer: Viewer): Promise<QueueViews | undefined> {
      if (!may(viewer, 'cases.triage')) return undefined;
      const counts = await queueCounts(deps.db, viewer);
      return { landing: isSupervisor(viewer) ? 'all' : 'new', counts: { new: counts.untriaged, open: counts.open } };
    },

    /** The investigators a supervisor may filter by (active users with the role); none for others. */
    async assignees(viewer: Viewer): Promise<Array<{ id: string; name: string }> | undefined> {
      if (!isSupervisor(viewer)) return undefined;
      return (await assignableInvestigators(deps.db)).map((u) => ({ id: u.id, name: u.display_name }));
    },

    /** Per active investigator: open assigned cases, and of those overdue, due soon and tolled. */
    async caseload(viewer: Viewer) {
      if (!isSupervisor(viewer)) throw new CaseloadNotVisible();
      const at = now();
      const rows = await caseloadRows(deps.db, viewer, at, dueSoonLimit(at));
      return rows.map((r) => ({
        id: r.id,
        name: r.display_name,
        open: Number(r.open),
        overdue: Number(r.overdue),
        dueSoon: Number(r.due_soon),
        tolled: Number(r.tolled),
      }));
    },
  };
}
