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
 * Inserts up to `count` synthetic complaints and their allegations in one set-based statement
 * (a data-modifying CTE), so a million rows take minutes, not a request each. Returns how many
 * complaints were inserted: a random tracking number that collides is skipped, not retried.
 */
export async function insertSyntheticComplaints(db: Executor, options: BulkComplaintOptions): Promise<number> {
  const templates = JSON.stringify(options.templates);
  const result = await sql<{ inserted: number }>`
    with picked as (
      select g,
             ${templates}::jsonb -> floor(random() * jsonb_array_length(${templates}::jsonb))::int as tpl,
             now() - (random() * interval '1095 days') - (g * 0) * interval '1 day' as received,
             (select string_agg(substr(${TRACKING_ALPHABET}, 1 + floor(random() * 30)::int, 1), '')
                from generate_series(1, 8 + g * 0)) as code
        from generate_series(1, ${options.count}::int) as g
    ),
    inserted as (
      insert into complaints (tracking_number, access_code_hash, snapshot, machine_version, stage, state,
                              language, channel, anonymous, narrative, incident_date, district,
                              received_at, stage_changed_at, closed_at, outcome)
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
             least(now(), received + floor(random() * 120) * interval '1 day'),
             case when (tpl ->> 'closed')::boolean
                  then least(now(), received + (20 + floor(random() * 400)) * interval '1 day') end,
             tpl ->> 'outcome'
        from picked
      on conflict (tracking_number) do nothing
      returning id, outcome
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
    select (select count(*) from inserted)::int as inserted, (select count(*) from allegations_made)::int as allegations
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
