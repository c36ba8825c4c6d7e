import { rolesWith } from '../../domain/policy.js';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { caseVisibleTo, type Viewer } from '../../platform/db/caseAccess.js';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import type { Stage } from '../../platform/db/schema.js';

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
}

/** The workflow's state of a complaint received and not yet triaged (before BEGIN_TRIAGE). */
const UNTRIAGED = 'intake.received';

/**
 * The deadline badge in SQL, on `complaints as c` and the clocks' facts `dl`: the rules of
 * deadlineBadge() in deadlineBadge.ts, for filtering and counting without reading every case.
 */
function badgeSql(now: Date, soon: Date): RawBuilder<string | null> {
  return sql<string | null>`case when c.stage = 'closed' then null
    when c.clock_breached or c.next_due_at < ${now} then 'overdue'
    when c.clock_warned or c.next_due_at <= ${soon} then 'dueSoon'
    when c.clock_tolled then 'tolled' else 'onTime' end`;
}

/**
 * The complaints with their current assignment, limited to what the viewer may see (R14). The
 * facts of each case's running clocks are columns of the case (#18), kept by the deadline service.
 */
function visibleCases(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('complaints as c')
    .leftJoin('assignments as asg', (join) =>
      join.onRef('asg.complaint_id', '=', 'c.id').on('asg.ended_at', 'is', null),
    )
    .where(caseVisibleTo(viewer));
}

/** The same cases without the assignment, for counting when no filter asks for the assignee. */
function visibleComplaints(db: Executor, viewer: Viewer) {
  return db.selectFrom('complaints as c').where(caseVisibleTo(viewer));
}

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
function filtersOf(q: QueueQuery, now: Date, soon: Date): Expression<SqlBool> {
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
 * One page of the queue in one query (the clocks, the assignee, the district and the categories
 * joined or aggregated per row), and the number of matching cases in another. Next due first,
 * cases without a running clock last, then the oldest received; new cases the oldest received first.
 */
export async function queuePage(db: Executor, viewer: Viewer, q: QueueQuery, now: Date, soon: Date) {
  const where = filtersOf(q, now, soon);
  // Past the counted cases no page is read (narrower filters find those cases); the count still is.
  const pastCap = q.offset >= COUNT_CAP;
  const [rows, count] = await Promise.all([
    pastCap
      ? Promise.resolve([])
      : visibleCases(db, viewer)
          .leftJoin('users as u', 'u.id', 'asg.user_id')
          .leftJoin('districts as dis', 'dis.code', 'c.district')
          .select([
            'c.id',
            'c.tracking_number',
            'c.stage',
            'c.state',
            'c.received_at',
            'c.district',
            'dis.name_en as district_en',
            'dis.name_es as district_es',
            'asg.user_id as assignee_id',
            'u.display_name as assignee_name',
            'c.next_due_at as next_due',
            'c.clock_breached as breached',
            'c.clock_warned as warned',
            'c.clock_tolled as tolled',
            sql<Array<{ code: string; en: string; es: string }>>`(
          select coalesce(json_agg(json_build_object('code', k.code, 'en', k.name_en, 'es', k.name_es)
                   order by k.position, k.code), '[]'::json)
            from allegation_categories k
           where k.code in (select a.category from allegations a where a.complaint_id = c.id))`.as('categories'),
          ])
          .where(where)
          .modifyFront(sql.raw(PREPARED))
          .$if(!q.untriaged, (qb) => qb.orderBy('c.next_due_at', (ob) => ob.asc().nullsLast()))
          .orderBy('c.received_at')
          .orderBy('c.id')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
    // Counted up to a cap (#18): past it the page says "more than", and no request counts a million rows.
    db
      .selectFrom(
        (q.assigneeId ? visibleCases(db, viewer) : visibleComplaints(db, viewer))
          .select(sql`1`.as('one'))
          .where(where)
          .limit(COUNT_CAP + 1)
          .as('m'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .modifyFront(sql.raw(PREPARED))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(count.n);
  return { rows, total: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
}

export type QueueRow = Awaited<ReturnType<typeof queuePage>>['rows'][number];

/** How many of the cases the viewer may see are new and not yet triaged, and how many are open. */
export async function queueCounts(db: Executor, viewer: Viewer) {
  const row = await db
    .selectFrom('complaints as c')
    .select([
      sql<number>`count(*) filter (where c.state = ${UNTRIAGED})`.as('untriaged'),
      sql<number>`count(*) filter (where c.stage <> 'closed')`.as('open'),
    ])
    .where(caseVisibleTo(viewer))
    .executeTakeFirstOrThrow();
  return { untriaged: Number(row.untriaged), open: Number(row.open) };
}

/**
 * Per active investigator: their open assigned cases the viewer may see, and how many of those
 * are overdue, due soon or tolled (the same badges as the queue), in one query.
 */
export async function caseloadRows(db: Executor, viewer: Viewer, now: Date, soon: Date) {
  const badge = badgeSql(now, soon);
  const open = visibleCases(db, viewer)
    .select(['asg.user_id', badge.as('badge')])
    .where('c.stage', '<>', 'closed')
    .where('asg.user_id', 'is not', null);
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (join) =>
      join.onRef('r.user_id', '=', 'u.id').on('r.role', 'in', rolesWith('cases.investigate')),
    )
    .leftJoin(open.as('o'), 'o.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      sql<number>`count(o.user_id)`.as('open'),
      sql<number>`count(o.user_id) filter (where o.badge = 'overdue')`.as('overdue'),
      sql<number>`count(o.user_id) filter (where o.badge = 'dueSoon')`.as('due_soon'),
      sql<number>`count(o.user_id) filter (where o.badge = 'tolled')`.as('tolled'),
    ])
    .where('u.disabled_at', 'is', null)
    .groupBy(['u.id', 'u.display_name'])
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
}
