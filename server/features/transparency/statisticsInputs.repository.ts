import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { SURVEY_QUESTIONS } from './transparency.repository.js';

// What the statistics refresh (statistics.repository.ts) counts of each complaint it recomputes:
// one row of `stats_fresh` per complaint of `stats_batch`, in the columns of `stats_snapshots`,
// and `stats_both`, the new inputs signed +1 beside the kept ones signed -1.

/** Separates the parts of an array element (category and finding; month and result). */
export const US = sql`chr(31)`;

const monthIn = (expression: RawBuilder<unknown>, timeZone: string) =>
  sql`date_trunc('month', ${expression} at time zone ${timeZone})::date`;

/** Each batch complaint's inputs now, in the agency's time zone (a purged complaint has none). */
export async function freshInputs(trx: Executor, timeZone: string): Promise<void> {
  const batch = sql`(select complaint_id from stats_batch)`;
  const d = sql`p.demographics`;
  await sql`
    create temp table stats_fresh on commit drop as
    select c.id as complaint_id,
        ${monthIn(sql`c.received_at`, timeZone)} as received_month,
        (c.received_at at time zone ${timeZone})::date as received_day,
        coalesce(c.district, 'unknown') as district,
        c.stage,
        case when c.closed_at >= c.received_at then ${monthIn(sql`c.closed_at`, timeZone)} end as closed_month,
        case when c.closed_at >= c.received_at
          then floor(extract(epoch from (c.closed_at - c.received_at)) / 86400)::int end as closed_days,
        case
          when c.closed_at is null then 'open'
          when c.closed_at - c.received_at <= interval '30 days' then '0-30'
          when c.closed_at - c.received_at <= interval '90 days' then '31-90'
          when c.closed_at - c.received_at <= interval '180 days' then '91-180'
          when c.closed_at - c.received_at <= interval '365 days' then '181-365'
          else 'over-365'
        end as days_band,
        coalesce(a.categories, '{}') as categories,
        coalesce(a.findings, '{}') as findings,
        coalesce(a.decided, false) as decided,
        coalesce(a.sustained, false) as sustained,
        coalesce(case when jsonb_typeof(${d}) = 'object' then ${d} ->> 'ageRange' end, '') as age_range,
        coalesce(case when jsonb_typeof(${d}) = 'object' then ${d} ->> 'gender' end, '') as gender,
        case when jsonb_typeof(${d}) = 'object' and jsonb_typeof(${d} -> 'races') = 'array'
          then array(select jsonb_array_elements_text(${d} -> 'races')) else '{}'::text[] end as races,
        coalesce(k.clocks, '{}') as clocks,
        coalesce(s.surveys, '{}') as surveys,
        coalesce(r.responses, '{}') as responses,
        coalesce(o.overdue, '{}') as responses_overdue
      from stats_batch b
      join complaints c on c.id = b.complaint_id
      left join complainants p on p.complaint_id = c.id and p.role = 'complainant'
      left join (
        select complaint_id, array_agg(distinct category) as categories,
            array_agg(category || ${US} || coalesce(finding, 'none')) as findings,
            bool_or(finding is not null) as decided, bool_or(finding = 'sustained') as sustained
          from allegations where complaint_id in ${batch} group by complaint_id
      ) a on a.complaint_id = c.id
      left join (
        select complaint_id,
            array_agg(${monthIn(sql`completed_at`, timeZone)}::text || ${US} ||
                      case when status = 'met' then 'met' else 'missed' end) as clocks
          from deadlines
          where kind = 'investigation' and completed_at is not null and status in ('met', 'breached')
            and complaint_id in ${batch}
          group by complaint_id
      ) k on k.complaint_id = c.id
      left join (
        select complaint_id,
            array_agg(concat_ws(${US}, ${monthIn(sql`answered_at`, timeZone)}::text,
                      ${sql.join(SURVEY_QUESTIONS.map((q) => sql`coalesce(${sql.ref(q)}::text, '')`))})) as surveys
          from surveys where answered_at is not null and complaint_id in ${batch} group by complaint_id
      ) s on s.complaint_id = c.id
      left join (
        -- The response in force for each sustained allegation: the entry recorded last (#19), so that a
        -- correction recorded later wins over a mistaken date.
        select l.complaint_id,
            array_agg(concat_ws(${US}, date_trunc('month', l.responded_on)::date::text, a.category,
                      case when l.concurred then 'yes' else 'no' end, l.discipline)) as responses
          from (select distinct on (allegation_id) complaint_id, allegation_id, responded_on, concurred, discipline
                  from department_responses where complaint_id in ${batch}
                 order by allegation_id, recorded_at desc, id) l
          join allegations a on a.id = l.allegation_id and a.finding = 'sustained'
          group by l.complaint_id
      ) r on r.complaint_id = c.id
      left join (
        select complaint_id, array_agg(${monthIn(sql`due_at`, timeZone)}::text) as overdue
          from deadlines
          where kind = 'department_response' and status = 'breached' and completed_at is null
            and complaint_id in ${batch}
          group by complaint_id
      ) o on o.complaint_id = c.id`.execute(trx);
  await sql`
    create temp table stats_both on commit drop as
    select f.*, 1 as sign from stats_fresh f
    union all
    select s.*, -1 from stats_snapshots s where s.complaint_id in (select complaint_id from stats_batch)`.execute(trx);
}
