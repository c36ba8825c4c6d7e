import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import type { MessagesQuery, QueueingPart, SelectedMessage } from '../mail/outbox.repository.js';
import { FACTS } from './deadline.repository.js';

/**
 * The cases with clocks due for a check, locked for this sweeper in the order every workflow step
 * takes its locks (the case first, then its clocks), so a sweep and a staff action on one case
 * wait for each other instead of deadlocking; a case another transaction holds is left for the
 * next pass. Reads the partial index on next_check_at: the cost follows the due rows. A statement
 * of its own, so the sweep's statement after it sees all that was committed before the locks.
 * `more`: whether more clocks were due than the batch took (one more is read to know it).
 */
export async function lockCasesWithDueClocks(
  trx: Executor,
  now: Date,
  limit: number,
): Promise<{ cases: string[]; more: boolean }> {
  const { rows } = await sql<{ id: string; more: boolean }>`
    with due as (select complaint_id, next_check_at from deadlines
                  where next_check_at is not null and next_check_at <= ${now}
                  order by next_check_at limit ${limit + 1})
    select c.id, (select count(*) from due) > ${limit} as more
      from complaints c
     where c.id in (select complaint_id from due order by next_check_at limit ${limit})
     order by c.id
     for update of c skip locked`.execute(trx);
  return { cases: rows.map((r) => r.id), more: rows[0]?.more ?? false };
}

/** How the sweep's mail is addressed and written. */
export interface SweepMail {
  /** Wraps the messages' query in the outbox's insert (the outbox service's queueSelected). */
  queue: (messages: MessagesQuery) => QueueingPart;
  /** The roles told of every breach, and of the warnings of a case with no investigator. */
  supervisorRoles: readonly string[];
  warning: string;
  breach: string;
  /** The agency's zone, in which a clock's last day is named. */
  timeZone: string;
  /** The address of a case's page without its id. */
  caseUrlPrefix: string;
  /**
   * Clocks only supervisors can act on (the department's response, #19): warned and breached to
   * them, not to the case's investigator, with a link to where the response is recorded.
   */
  supervisorsOnly: readonly string[];
  responseUrlPrefix: string;
}

/**
 * The sweep's step on the locked cases, in one statement (#18): each due clock is warned (checked
 * again when due) or, once due, breached; the cases' clock facts are recomputed from their clocks
 * as they are after it; and the mail is queued. A warning goes to the investigator assigned now
 * (an active user); a breach also goes to every active supervisor, and before a case has an
 * investigator its warnings go to the supervisors. One message per clock and address.
 *
 * Every part reads the statement's one snapshot, in which the clocks are as they were before it:
 * the facts read the swept clocks from the update's RETURNING and the others from the table.
 */
export async function sweepLockedCases(
  trx: Executor,
  complaintIds: string[],
  now: Date,
  mail: SweepMail,
): Promise<{ warned: number; breached: number }> {
  if (complaintIds.length === 0) return { warned: 0, breached: 0 };
  // Bound where it is used, not read from a CTE: the planner then knows how many cases there are.
  const cases = sql`${complaintIds}::uuid[]`;
  const { rows } = await sql<{ warned: number; breached: number }>`
    with swept as (
      update deadlines d
         set status = case when ${now}::timestamptz >= d.due_at then 'breached' else 'warned' end,
             next_check_at = case when ${now}::timestamptz >= d.due_at then null else d.due_at end
       where d.complaint_id = any(${cases}) and d.next_check_at is not null and d.next_check_at <= ${now}
      returning d.id, d.complaint_id, d.kind, d.due_at, d.status, d.tolled_at, d.completed_at
    ),
    facts as (
      select k.id, ${FACTS}
        from unnest(${cases}) as k(id)
        left join (select complaint_id, due_at, status, tolled_at, completed_at from deadlines
                    where complaint_id = any(${cases}) and id not in (select id from swept)
                   union all
                   select complaint_id, due_at, status, tolled_at, completed_at from swept) r
               on r.complaint_id = k.id and r.status in ('open', 'warned', 'breached') and r.completed_at is null
       group by k.id
    ),
    synced as (
      update complaints c
         set next_due_at = f.next_due, clock_breached = f.breached, clock_warned = f.warned, clock_tolled = f.tolled
        from facts f
       where c.id = f.id
         and (c.next_due_at is distinct from f.next_due or c.clock_breached <> f.breached
              or c.clock_warned <> f.warned or c.clock_tolled <> f.tolled)
    ),
    -- Materialized: read once, not once a clock.
    supervisors as materialized (
      select distinct u.email, u.language
        from users u join user_roles r on r.user_id = u.id
       where r.role = any(${mail.supervisorRoles}::text[]) and u.disabled_at is null
    ),
    -- Joined to the tables by their indexes, never a CTE to another: the planner does not know how
    -- many rows a CTE holds, and a nested loop of a thousand clocks over a thousand is a million.
    told as (
      select s.id, s.complaint_id, s.kind, s.due_at, s.status, u.email, u.language
        from swept s
        join assignments a on a.complaint_id = s.complaint_id and a.ended_at is null
        join users u on u.id = a.user_id and u.disabled_at is null
       where s.kind <> all(${mail.supervisorsOnly}::text[])
      union all
      select s.id, s.complaint_id, s.kind, s.due_at, s.status, p.email, p.language
        from swept s cross join supervisors p
       where s.status = 'breached'
          or s.kind = any(${mail.supervisorsOnly}::text[])
          or not exists (select from assignments a join users u on u.id = a.user_id and u.disabled_at is null
                          where a.complaint_id = s.complaint_id and a.ended_at is null)
    ),
    queued as (${mail.queue(sql<SelectedMessage>`
      select distinct on (t.id, lower(t.email)) t.email as recipient,
             case when t.status = 'breached' then ${mail.breach}::text else ${mail.warning}::text end as template,
             t.language,
             jsonb_build_object(
               'trackingNumber', c.tracking_number,
               'deadline', t.kind,
               -- lastDayOf: the day, in the agency's zone, of the last instant before it is due
               'dueDate', to_char((t.due_at - interval '1 millisecond') at time zone ${mail.timeZone}::text, 'YYYY-MM-DD'),
               'caseUrl', case when t.kind = any(${mail.supervisorsOnly}::text[]) then ${mail.responseUrlPrefix}::text
                               else ${mail.caseUrlPrefix}::text end || t.complaint_id::text) as data
        from told t join complaints c on c.id = t.complaint_id`)})
    select count(*) filter (where status = 'warned')::int as warned,
           count(*) filter (where status = 'breached')::int as breached
      from swept`.execute(trx);
  return rows[0] ?? { warned: 0, breached: 0 };
}
