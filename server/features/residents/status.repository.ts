import { DEADLINE_KINDS, type DeadlineKind } from '../../../workflows/complaint.machine.js';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';
import { PREPARED } from '../../platform/db/prepared.js';
import type { PublicHistoryEntry } from '../../platform/db/schema.js';
import type { GuardedCounts } from '../../platform/security/rateLimit.repository.js';

/**
 * The clocks a resident is told of as their case's next step: the agency's own stages. Not the
 * statutory limit, and not the department's responses (#19), which run after the decision,
 * between the agency and the department.
 */
const NOT_TOLD: readonly DeadlineKind[] = ['statutory', 'department_response', 'recommendation_response'];
const RESIDENT_CLOCKS = DEADLINE_KINDS.filter((kind) => !NOT_TOLD.includes(kind));

export interface StatusRow {
  id: string | null;
  tracking_number: string | null;
  access_code_hash: string | null;
  snapshot: unknown;
  machine_version: number | null;
  anonymous: boolean | null;
  outcome: string | null;
  public_history: PublicHistoryEntry[] | null;
  allegations: Array<{ name_en: string; name_es: string; finding: string | null }> | null;
  next_deadline: { kind: string; due_at: string } | null;
  /** A lookup's: whether the code matched, and the counts its attempt made or read; null by id. */
  matched: boolean | null;
  attempts: GuardedCounts | null;
}

/** A lookup by number and code: the code's keyed hashes under each key of the ring, and the attempt's guard. */
export interface LookupGuard {
  codeHashes: string[];
  guard: (passed: RawBuilder<boolean>) => { ctes: RawBuilder<unknown>; counts: RawBuilder<GuardedCounts> };
}

/**
 * Everything a status page shows, in one indexed read (R16: a lookup costs one read, an HMAC and a
 * render). A lookup by number checks the code's hash in the same statement and counts the attempt
 * only if it fails (R7, guardedAttempt), so a lookup is one round trip that writes nothing for the
 * resident with the right code. Unknown numbers count and return the same, in a row whose case
 * columns are null.
 */
export async function statusRow(
  db: Executor,
  by: { trackingNumber: string; lookup: LookupGuard } | { id: string },
): Promise<StatusRow> {
  const match = 'id' in by ? sql`c.id = ${by.id}` : sql`c.tracking_number = ${by.trackingNumber}`;
  const lookup = 'lookup' in by ? by.lookup : undefined;
  const matched = lookup
    ? sql<boolean>`exists (select 1 from found where access_code_hash = any(${lookup.codeHashes}::text[]))`
    : undefined;
  const guarded = lookup && matched ? lookup.guard(matched) : undefined;
  const { rows } = await sql<StatusRow>`${sql.raw(PREPARED)}
    with found as materialized (
      select c.id, c.tracking_number, c.access_code_hash, c.snapshot, c.machine_version, c.anonymous, c.outcome,
          c.public_history
        from complaints c where ${match})
    ${guarded ? sql`, ${guarded.ctes}` : sql``}
    -- A lookup answers the case only when the code matched: a wrong code on a real number does no
    -- more work than an unknown number (R10, R16).
    select ${sql.join(
      [
        'id',
        'tracking_number',
        'access_code_hash',
        'snapshot',
        'machine_version',
        'anonymous',
        'outcome',
        'public_history',
      ].map(
        (column) => sql`case when ${matched ?? sql`true`} then ${sql.ref(`f.${column}`)} end as ${sql.ref(column)}`,
      ),
    )},
      case when ${matched ?? sql`true`} then
        (select coalesce(json_agg(json_build_object('name_en', k.name_en, 'name_es', k.name_es, 'finding', a.finding)
                   order by a.created_at, a.id), '[]'::json)
           from allegations a join allegation_categories k on k.code = a.category
          where a.complaint_id = f.id) end as allegations,
      case when ${matched ?? sql`true`} then
        (select json_build_object('kind', d.kind, 'due_at', d.due_at)
           from deadlines d
          where d.complaint_id = f.id and d.status in ('open', 'warned', 'breached') and d.completed_at is null
            and d.kind = any(${sql.val(RESIDENT_CLOCKS)}::text[]) and d.tolled_at is null
          order by d.due_at limit 1) end as next_deadline,
      ${matched ?? sql`null::boolean`} as matched,
      ${guarded ? guarded.counts : sql`null::json`} as attempts
    from (select 1) as one
    left join found f on true`.execute(db);
  return rows[0]!;
}
