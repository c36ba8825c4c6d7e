import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Stage } from '../../platform/db/schema.js';

/** The queue's filters in SQL, on `complaints as c` (with `asg`, its current assignment, for the assignee). */

/** What the queue is asked for, in the database's terms. */
export interface QueueQuery {
  stage?: Stage | undefined;
  assigneeId?: string | undefined;
  /** Cases whose badge is one of these (deadlineBadge.ts); empty: any. */
  badges: readonly string[];
  category?: string | undefined;
  district?: string | undefined;
  trackingNumber?: string | undefined;
  /** Only new cases not yet triaged, the oldest received first (instead of the next due first). */
  untriaged: boolean;
  openOnly: boolean;
  limit: number;
  offset: number;
  /** Also the names of the district and the categories (the staff pages; the API gives codes). */
  names: boolean;
}

/** The workflow's state of a complaint received and not yet triaged (before BEGIN_TRIAGE). */
export const UNTRIAGED = 'intake.received';

/** The queue counts the matching cases up to this many; pages go no further (bounded pagination). */
export const COUNT_CAP = 1_000;

/**
 * One badge as a condition the indexes can serve (the rules of badgeSql): "overdue" is a range on
 * next_due_at (or a breach), so the queue's index, walked in its order, finds the first page at once.
 */
function badgeIs(badge: string, now: Date, soon: Date): RawBuilder<boolean> {
  const overdue = sql`(c.clock_breached or c.next_due_at < ${now})`;
  const notOverdue = sql`not coalesce(c.clock_breached or c.next_due_at < ${now}, false)`;
  const notSoon = sql`not coalesce(c.clock_warned or c.next_due_at <= ${soon}, false)`;
  const open = sql`c.stage <> 'closed'`;
  if (badge === 'overdue') return sql<boolean>`(${open} and ${overdue})`;
  if (badge === 'dueSoon')
    return sql<boolean>`(${open} and ${notOverdue} and (c.clock_warned or c.next_due_at <= ${soon}))`;
  if (badge === 'tolled') return sql<boolean>`(${open} and ${notOverdue} and ${notSoon} and c.clock_tolled)`;
  return sql<boolean>`(${open} and ${notOverdue} and ${notSoon} and not c.clock_tolled)`;
}

/** The query's filters as one condition (true when there are none). */
export function filtersOf(q: QueueQuery, now: Date, soon: Date): Expression<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (q.openOnly) parts.push(sql`c.stage <> 'closed'`);
  if (q.stage) parts.push(sql`c.stage = ${q.stage}`);
  if (q.assigneeId) parts.push(sql`asg.user_id = ${q.assigneeId}`);
  if (q.district) parts.push(sql`c.district = ${q.district}`);
  if (q.trackingNumber) parts.push(sql`c.tracking_number = ${q.trackingNumber}`);
  if (q.untriaged) parts.push(sql`c.state = ${UNTRIAGED}`);
  if (q.category) {
    parts.push(sql`exists (select 1 from allegations fa where fa.complaint_id = c.id and fa.category = ${q.category})`);
  }
  if (q.badges.length)
    parts.push(
      sql`(${sql.join(
        q.badges.map((b) => badgeIs(b, now, soon)),
        sql` or `,
      )})`,
    );
  return parts.length ? sql<SqlBool>`${sql.join(parts, sql` and `)}` : sql<SqlBool>`true`;
}

/**
 * The filters as conditions whose matches are disjoint and add up to all the matches, for counting:
 * one, or for "overdue" alone three (a past due time; a breach with the due time ahead; a breach
 * with none). Each of those is a range an index answers, where the database answers the one OR of
 * a breach and a past due time by visiting every candidate case in the table (#18).
 */
export function countedParts(q: QueueQuery, now: Date, soon: Date): Array<Expression<SqlBool>> {
  if (q.badges.length !== 1 || q.badges[0] !== 'overdue') return [filtersOf(q, now, soon)];
  const others = filtersOf({ ...q, badges: [] }, now, soon);
  return [
    sql`c.next_due_at < ${now}`,
    sql`c.clock_breached and c.next_due_at >= ${now}`,
    sql`c.clock_breached and c.next_due_at is null`,
  ].map((part) => sql<SqlBool>`${others} and c.stage <> 'closed' and ${part}`);
}
