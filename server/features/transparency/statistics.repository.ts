import { sql } from 'kysely';
import { addDifferences } from '../../platform/db/differences.js';
import type { Executor } from '../../platform/db/executor.js';
import { disparityDelta } from '../officers/disparity.repository.js';
import { MEASURES, SURVEY_QUESTIONS } from './transparency.repository.js';
import { US, freshInputs } from './statisticsInputs.repository.js';

// The statistics refresh (#18 item 4), from what changed since the last one. Triggers (migration
// 0019) note in `stats_changes` each complaint whose published figures may have changed. A refresh
// takes those notes, computes each noted complaint's inputs afresh (a row of `stats_snapshots`:
// the months, district, stage, categories, findings, answers and closed clocks the figures count),
// and applies the difference between the new inputs and the ones it kept from last time to the
// rollups, the open data's cells and the disparity days: the work grows with what changed, not
// with the number of cases. The open-data rows of each combination group whose cells changed are
// then derived again. All in the caller's transaction, under the refresh's lock.
//
// Work tables are temporary and dropped at commit: `stats_batch` (the complaints to recompute),
// `stats_fresh` (their new inputs) and `stats_both` (new inputs signed +1, the kept ones -1).

/**
 * Takes the noted changes into `stats_batch`: every complaint when `all` (the first refresh, or a
 * new time zone), which also clears every figure kept. A note committed after this statement
 * stays for the next refresh.
 */
async function takeChanges(trx: Executor, all: boolean): Promise<number> {
  await sql`create temp table stats_batch (complaint_id uuid primary key) on commit drop`.execute(trx);
  if (all) {
    await sql`delete from stats_changes`.execute(trx);
    for (const table of ['stats_snapshots', 'stats_rollup', 'open_data_cells', 'open_data_rows', 'disparity_days']) {
      await sql`delete from ${sql.table(table)}`.execute(trx);
    }
    await sql`insert into stats_batch select id from complaints`.execute(trx);
  } else {
    await sql`
      with taken as (delete from stats_changes returning complaint_id)
      insert into stats_batch select distinct complaint_id from taken`.execute(trx);
  }
  await sql`analyze stats_batch`.execute(trx);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from stats_batch`.execute(trx);
  return rows[0]?.n ?? 0;
}

/** Adds the difference to the monthly rollups; a count that reaches zero is removed. */
async function applyRollups(trx: Executor): Promise<void> {
  const part = (index: number) => sql`split_part(x, ${US}, ${sql.lit(index)})`;
  await sql`
    create temp table stats_rollup_delta on commit drop as
    select month, measure, key, sum(sign)::int as count from (
      select received_month as month, ${MEASURES.received} as measure, '' as key, sign from stats_both
      union all
      select received_month, ${MEASURES.district}, district, sign from stats_both
      union all
      select received_month, ${MEASURES.category}, x, sign from stats_both, unnest(categories) x
      union all
      select received_month, ${MEASURES.finding}, ${part(2)}, sign from stats_both, unnest(findings) x
        where ${part(2)} <> 'none'
      union all
      select closed_month, ${MEASURES.closedDays}, closed_days::text, sign from stats_both where closed_month is not null
      union all
      select ${part(1)}::date, ${MEASURES.investigationDeadline}, ${part(2)}, sign from stats_both, unnest(clocks) x
      union all
      select ${part(1)}::date, ${MEASURES.survey} || q.name, split_part(x, ${US}, q.at), sign
        from stats_both, unnest(surveys) x,
          (values ${sql.join(SURVEY_QUESTIONS.map((q, i) => sql`(${q}, ${sql.lit(i + 2)})`))}) q(name, at)
        where split_part(x, ${US}, q.at) <> ''
      union all
      select ${part(1)}::date, ${MEASURES.responseConcurred}, ${part(3)}, sign from stats_both, unnest(responses) x
      union all
      select ${part(1)}::date, ${MEASURES.responseDiscipline}, ${part(2)} || ':' || ${part(4)}, sign
        from stats_both, unnest(responses) x
      union all
      select x::date, ${MEASURES.responseOverdue}, '', sign from stats_both, unnest(responses_overdue) x
    ) parts
    group by 1, 2, 3 having sum(sign) <> 0`.execute(trx);
  await addDifferences(trx, 'stats_rollup', 'stats_rollup_delta', ['month', 'measure', 'key'], ['count']);
}

/**
 * Adds the difference to the open data's cells (allegations and distinct complaints per month,
 * category, finding, stage, district and band of days), then derives again the published rows of
 * each group (month, category, finding, stage) with a changed cell: a cell shared by 5 or more
 * complaints as it is; the group's rarer cells together without district and days band; and if
 * those are still fewer than 5 complaints, with only the year. (A complaint is in one cell of a
 * group, so the complaints of cells add up.)
 */
async function applyOpenData(trx: Executor): Promise<void> {
  const part = (index: number) => sql`split_part(x, ${US}, ${sql.lit(index)})`;
  await sql`
    create temp table stats_cell_delta on commit drop as
    select month, category, finding, stage, district, days_band, sum(rows * sign)::int as rows,
        sum(sign)::int as complaints
      from (
        select complaint_id, sign, to_char(received_month, 'YYYY-MM') as month, ${part(1)} as category,
            ${part(2)} as finding, stage, district, days_band, count(*) as rows
          from stats_both, unnest(findings) x
          group by 1, 2, 3, 4, 5, 6, 7, 8
      ) per_complaint
      group by 1, 2, 3, 4, 5, 6 having sum(rows * sign) <> 0 or sum(sign) <> 0`.execute(trx);
  await addDifferences(
    trx,
    'open_data_cells',
    'stats_cell_delta',
    ['month', 'category', 'finding', 'stage', 'district', 'days_band'],
    ['complaints', 'rows'],
  );

  const grp = (t: string) =>
    sql`${sql.ref(`${t}.month`)} || ${US} || ${sql.ref(`${t}.category`)} || ${US} || ${sql.ref(`${t}.finding`)} || ${US} || ${sql.ref(`${t}.stage`)}`;
  await sql`
    create temp table stats_groups on commit drop as
    select distinct month, category, finding, stage, ${grp('d')} as grp from stats_cell_delta d`.execute(trx);
  await sql`delete from open_data_rows where grp in (select grp from stats_groups)`.execute(trx);
  await sql`
    with cells as (
      select c.*, g.grp from open_data_cells c
        join stats_groups g on (g.month, g.category, g.finding, g.stage) = (c.month, c.category, c.finding, c.stage)
    ),
    rare as (
      select month, category, finding, stage, grp, sum(rows)::int as rows, sum(complaints) as k
        from cells where complaints < 5 group by 1, 2, 3, 4, 5
    )
    insert into open_data_rows (month, category, district, finding, days_to_close, stage, n, grp)
    select month, category, district, finding, days_band, stage, rows, grp from cells where complaints >= 5
    union all
    select case when k >= 5 then month else substr(month, 1, 4) end,
        case when k >= 5 then category else 'suppressed' end,
        'suppressed',
        case when k >= 5 then finding else 'suppressed' end,
        'suppressed',
        case when k >= 5 then stage else 'suppressed' end,
        rows, grp
      from rare`.execute(trx);
}

/** Adds the difference to the disparity view's days (officers/disparity.repository.ts says what they count). */
async function applyDisparity(trx: Executor): Promise<void> {
  await sql`create temp table stats_disparity_delta on commit drop as ${disparityDelta(sql`stats_both`)}`.execute(trx);
  await addDifferences(
    trx,
    'disparity_days',
    'stats_disparity_delta',
    ['day', 'dimension', 'value'],
    ['complaints', 'decided', 'sustained'],
  );
}

/**
 * One refresh at a time across instances (#18 item 4), held until the transaction ends; readers
 * are not blocked. With `wait` false, answers false at once when another instance is refreshing.
 * The first refresh reads every case, so the app's statement timeout (#18 item 3) is lifted for it.
 */
export async function lockForRefresh(trx: Executor, wait = true): Promise<boolean> {
  await sql`set local statement_timeout = 0`.execute(trx);
  if (wait) {
    await sql`select pg_advisory_xact_lock(hashtext('statistics.rebuild'))`.execute(trx);
    return true;
  }
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(hashtext('statistics.rebuild')) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

/**
 * Brings every published figure up to date with the noted changes (or, with `all`, computes them
 * all afresh); answers how many complaints were recomputed.
 */
export async function refreshStatistics(trx: Executor, timeZone: string, all: boolean): Promise<number> {
  const complaints = await takeChanges(trx, all);
  if (complaints === 0) return 0;
  await freshInputs(trx, timeZone);
  await applyRollups(trx);
  await applyOpenData(trx);
  await applyDisparity(trx);
  await sql`delete from stats_snapshots where complaint_id in (select complaint_id from stats_batch)`.execute(trx);
  await sql`insert into stats_snapshots select * from stats_fresh`.execute(trx);
  return complaints;
}
