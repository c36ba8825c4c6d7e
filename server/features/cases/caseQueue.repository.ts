import { rolesWith } from '../../domain/policy.js';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { caseVisibleTo, type Viewer } from '../../platform/db/caseAccess.js';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import type { Stage } from '../../platform/db/schema.js';
import { COUNT_CAP, countedParts, filtersOf, UNTRIAGED, type QueueQuery } from './caseQueue.filters.repository.js';

export { COUNT_CAP, type QueueQuery };

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
 * (The queue's page, below, is the same in SQL.)
 */
function visibleCases(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('complaints as c')
    .leftJoin('assignments as asg', (join) =>
      join.onRef('asg.complaint_id', '=', 'c.id').on('asg.ended_at', 'is', null),
    )
    .where(caseVisibleTo(viewer));
}

/** A condition a queue read must meet besides its filters (a recalled bearer token still in force). */
export type QueueCheck = Expression<SqlBool>;

/** One case of a queue page. */
export interface QueueRow {
  id: string;
  tracking_number: string;
  stage: Stage;
  state: string;
  received_at: Date;
  district: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  next_due: Date | null;
  breached: boolean;
  warned: boolean;
  tolled: boolean;
  /** Codes, in the categories' order. */
  categories: string[];
  /** With `names`: the district's names, and the categories' in the order of their codes. */
  district_en?: string | null;
  district_es?: string | null;
  category_names?: Array<{ en: string; es: string }>;
}

/**
 * One page of the queue and the number of matching cases, in one statement (#18): the clocks, the
 * assignee, the district and the categories joined or aggregated per row, and the count beside
 * them. Next due first, cases without a running clock last, then the oldest received; new cases
 * the oldest received first. The page's size, and the first page's place, are written into the
 * statement rather than sent as values: a LIMIT or OFFSET sent as a value keeps PostgreSQL planning
 * the statement again on every call (later pages still are, as one statement per filter). Written
 * as SQL rather than with the query builder, which took four times as long to build it.
 *
 * `check`, a condition the statement must meet besides (a recalled bearer token still in force):
 * when it does not hold, `checked` is false and nothing is read.
 */
export async function queuePage(
  db: Executor,
  viewer: Viewer,
  q: QueueQuery,
  now: Date,
  soon: Date,
  check?: QueueCheck,
) {
  if (!Number.isSafeInteger(q.limit) || !Number.isSafeInteger(q.offset)) throw new RangeError('page out of range');
  const visible = caseVisibleTo(viewer);
  const checked = check ?? sql`true`;
  // Counted up to a cap (#18): past it the page says "more than", and no request counts a million rows.
  const assignment = sql`left join assignments asg on asg.complaint_id = c.id and asg.ended_at is null`;
  const capped = (condition: Expression<SqlBool>) =>
    sql`(select count(*) from (select 1 from complaints c ${q.assigneeId ? assignment : sql``}
      where ${visible} and ${condition} limit ${sql.lit(COUNT_CAP + 1)}) m)`;
  const counted = sql.join(countedParts(q, now, soon).map(capped), sql` + `);
  const result = (rows: QueueRow[], n: number, held = true) => ({
    rows,
    total: Math.min(n, COUNT_CAP),
    more: n > COUNT_CAP,
    checked: held,
  });
  // The count and the check alone: past the counted cases no page is read (narrower filters find
  // those cases), and after an empty page (nothing matches, cases closed meanwhile, or a failed check).
  const countOnly = async () => {
    const { rows } = await sql<{ n: number; held: boolean }>`${sql.raw(PREPARED)}
      select (${counted}) as n, ${checked} as held`.execute(db);
    const row = rows[0]!;
    return result([], row.held ? Number(row.n) : 0, Boolean(row.held));
  };
  if (q.offset >= COUNT_CAP) return countOnly();
  const { rows } = await sql<QueueRow & { matching: number }>`${sql.raw(PREPARED)}
    select c.id, c.tracking_number, c.stage, c.state, c.received_at, c.district,
      asg.user_id as assignee_id, u.display_name as assignee_name,
      c.next_due_at as next_due, c.clock_breached as breached, c.clock_warned as warned, c.clock_tolled as tolled,
      -- Each category once (a case may allege one several times), in the categories' order.
      array(select k.code from allegations a join allegation_categories k on k.code = a.category
             where a.complaint_id = c.id group by k.code, k.position order by k.position, k.code) as categories,
      ${
        q.names
          ? sql`dis.name_en as district_en, dis.name_es as district_es,
              (select coalesce(json_agg(json_build_object('en', k.name_en, 'es', k.name_es)
                        order by k.position, k.code), '[]'::json)
                 from allegation_categories k
                where k.code in (select a.category from allegations a where a.complaint_id = c.id))
                as category_names,`
          : sql``
      }
      (${counted}) as matching
    from complaints c ${assignment}
    left join users u on u.id = asg.user_id
    ${q.names ? sql`left join districts dis on dis.code = c.district` : sql``}
    where ${checked} and ${visible} and ${filtersOf(q, now, soon)}
    order by ${q.untriaged ? sql`` : sql`c.next_due_at asc nulls last, `}c.received_at, c.id
    limit ${sql.lit(q.limit)} offset ${q.offset === 0 ? sql.lit(0) : q.offset}`.execute(db);
  if (rows[0]) return result(rows, Number(rows[0].matching));
  return q.offset === 0 && !check ? result([], 0) : countOnly();
}

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
