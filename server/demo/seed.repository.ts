import { sql } from 'kysely';
import type { Executor } from '../platform/db/executor.js';

export interface StageTemplate {
  stage: string;
  state: string;
  snapshot: unknown;
  machineVersion: number;
  /** For closed cases: how they ended; decided cases get a finding per allegation. */
  outcome: 'referred' | 'dismissed' | 'mediated' | 'withdrawn' | 'decided' | null;
  closed: boolean;
}

export interface BulkComplaintOptions {
  count: number;
  /** Drawn uniformly; repeat a template to weight it. */
  templates: StageTemplate[];
  districts: string[];
  categories: string[];
  officerIds: string[];
}

const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Inserts up to `count` synthetic complaints, their allegations and each open case's clocks in one set-based statement
 * (a data-modifying CTE), so a million rows take minutes, not a request each. Returns how many
 * complaints were inserted: a random tracking number that collides is skipped, not retried.
 */
export async function insertSyntheticComplaints(db: Executor, options: BulkComplaintOptions): Promise<number> {
  const templates = JSON.stringify(options.templates);
  const result = await sql<{ inserted: number }>`
    with drawn as (
      select distinct on (code) g, tpl, code,
             -- Open cases are mostly recent (an office works them off); closed ones span three years.
             case when (tpl ->> 'closed')::boolean then now() - random() * interval '1095 days'
                  else now() - power(random(), 2) * interval '420 days' end as received
        from (select g,
                     ${templates}::jsonb -> floor(random() * jsonb_array_length(${templates}::jsonb))::int as tpl,
                     (select string_agg(substr(${TRACKING_ALPHABET}, 1 + floor(random() * 30)::int, 1), '')
                        from generate_series(1, 8 + g * 0)) as code
                from generate_series(1, ${options.count}::int) as g) as raw
    ),
    picked as (
      -- Each open case's clocks as the deadline service keeps them: the statutory year from receipt,
      -- and the clock of the stage it stands in, started when the stage began (#18 item 6).
      select d.*, d.received + (now() - d.received) * random() * 0.6 as stage_start,
             case when (tpl ->> 'closed')::boolean then null
                  when tpl ->> 'state' = 'intake.received' then 'acknowledge'
                  when tpl ->> 'state' = 'intake.triage' then 'triage'
                  when tpl ->> 'stage' = 'mediation' then 'mediation'
                  when tpl ->> 'stage' = 'investigation' then 'investigation' end as kind
        from drawn d
    ),
    timed as (
      select p.*, p.received + interval '12 months' as statutory_due,
             p.stage_start + case p.kind when 'acknowledge' then interval '7 days' when 'triage' then interval '30 days'
                                         when 'mediation' then interval '60 days' else interval '180 days' end as stage_due,
             case p.kind when 'acknowledge' then 2 when 'investigation' then 30 else 7 end as warn_days
        from picked p
    ),
    inserted as (
      insert into complaints (tracking_number, access_code_hash, snapshot, machine_version, stage, state,
                              language, channel, anonymous, narrative, incident_date, district,
                              received_at, stage_changed_at, closed_at, outcome,
                              next_due_at, clock_breached, clock_warned)
      select 'OC-' || substr(code, 1, 4) || '-' || substr(code, 5, 4),
             'synthetic:not-a-valid-code',
             tpl -> 'snapshot', (tpl ->> 'machineVersion')::int, tpl ->> 'stage', tpl ->> 'state',
             case when random() < 0.22 then 'es' else 'en' end,
             (array['web', 'web', 'web', 'web', 'phone', 'email', 'walk_in', 'mail'])[1 + floor(random() * 8)::int],
             random() < 0.12,
             'Synthetic complaint generated for load testing.',
             (received - floor(random() * 30) * interval '1 day')::date,
             (${options.districts}::text[])[1 + floor(random() * ${options.districts.length}::int)::int],
             received,
             stage_start,
             case when (tpl ->> 'closed')::boolean
                  then least(now(), received + (20 + floor(random() * 400)) * interval '1 day') end,
             tpl ->> 'outcome',
             case when not (tpl ->> 'closed')::boolean
                  then least(statutory_due, case when kind is not null then stage_due end) end,
             not (tpl ->> 'closed')::boolean and (statutory_due < now() or (kind is not null and stage_due < now())),
             not (tpl ->> 'closed')::boolean
               and ((statutory_due >= now() and statutory_due - interval '60 days' <= now())
                    or (kind is not null and stage_due >= now() and stage_due - warn_days * interval '1 day' <= now()))
        from timed
      on conflict (tracking_number) do nothing
      returning id, outcome, tracking_number
    ),
    clocks as (
      insert into deadlines (complaint_id, kind, starts_at, due_at, warn_at, status, next_check_at)
      select i.id, c.kind, c.starts, c.due, c.due - c.warn * interval '1 day',
             case when c.due < now() then 'breached' when c.due - c.warn * interval '1 day' <= now() then 'warned'
                  else 'open' end,
             case when c.due < now() then null when c.due - c.warn * interval '1 day' <= now() then c.due
                  else c.due - c.warn * interval '1 day' end
        from inserted i
        join timed t on 'OC-' || substr(t.code, 1, 4) || '-' || substr(t.code, 5, 4) = i.tracking_number
        cross join lateral (values ('statutory', t.received, t.statutory_due, 60),
                                   (t.kind, t.stage_start, t.stage_due, t.warn_days)) as c(kind, starts, due, warn)
       where not (t.tpl ->> 'closed')::boolean and c.kind is not null
      returning 1
    ),
    allegations_made as (
      insert into allegations (complaint_id, officer_id, category, finding, decided_at)
      select i.id,
             case when random() < 0.15 then null
                  else (${options.officerIds}::uuid[])[1 + floor(random() * ${options.officerIds.length}::int)::int] end,
             (${options.categories}::text[])[1 + floor(random() * ${options.categories.length}::int)::int],
             case i.outcome
               when 'mediated' then 'mediated'
               when 'withdrawn' then 'withdrawn'
               when 'decided' then (array['sustained', 'not_sustained', 'not_sustained', 'exonerated', 'exonerated',
                                          'unfounded', 'unfounded', 'unfounded', 'policy_failure', 'not_sustained'
                                         ])[1 + floor(random() * 10)::int]
             end,
             case when i.outcome in ('mediated', 'withdrawn', 'decided') then now() end
        from inserted i
        cross join lateral generate_series(1, 1 + floor(random() * 3)::int + (i.id is null)::int) as n
      returning 1
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from allegations_made)::int as allegations,
           (select count(*) from clocks)::int as clocks
  `.execute(db);
  return result.rows[0]?.inserted ?? 0;
}

export async function listOfficerIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('officers').select('id').execute()).map((r) => r.id);
}

export async function listActiveCodes(db: Executor): Promise<{ districts: string[]; categories: string[] }> {
  const districts = await db.selectFrom('districts').select('code').where('active', '=', true).execute();
  const categories = await db.selectFrom('allegation_categories').select('code').where('active', '=', true).execute();
  return { districts: districts.map((d) => d.code), categories: categories.map((c) => c.code) };
}
