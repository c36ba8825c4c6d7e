/** The demo's own writes and reads: the rows a demo case is made of beside what the workflow writes. */
import type { Executor } from '../platform/db/executor.js';
import type { Finding, Language } from '../domain/vocabulary.js';

export async function districtCodes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('districts').select('code').execute()).map((d) => d.code);
}

export async function officerIdsByBadge(db: Executor): Promise<string[]> {
  return (await db.selectFrom('officers').select('id').orderBy('badge_number').execute()).map((o) => o.id);
}

export async function insertDemoComplainant(
  trx: Executor,
  complainant: { complaintId: string; name: string; email: string; language: Language },
): Promise<void> {
  await trx
    .insertInto('complainants')
    .values({
      complaint_id: complainant.complaintId,
      role: 'complainant',
      name: complainant.name,
      email: complainant.email,
      preferred_language: complainant.language,
      preferred_contact: 'email',
    })
    .execute();
}

export async function insertDemoAllegations(
  trx: Executor,
  complaintId: string,
  allegations: Array<{ officerId: string | null; category: string }>,
): Promise<void> {
  await trx
    .insertInto('allegations')
    .values(allegations.map((a) => ({ complaint_id: complaintId, officer_id: a.officerId, category: a.category })))
    .execute();
}

export async function insertDemoAssignment(
  trx: Executor,
  assignment: { complaintId: string; userId: string; assignedBy: string },
): Promise<void> {
  await trx
    .insertInto('assignments')
    .values({ complaint_id: assignment.complaintId, user_id: assignment.userId, assigned_by: assignment.assignedBy })
    .execute();
}

export async function decideDemoAllegations(trx: Executor, complaintId: string, finding: Finding, at: Date) {
  await trx
    .updateTable('allegations')
    .set({ finding, decided_at: at })
    .where('complaint_id', '=', complaintId)
    .execute();
}

/** The demo's sustained allegations with when their response clock started, oldest decision first (#19). */
export async function demoSustainedAllegations(db: Executor) {
  return db
    .selectFrom('allegations as a')
    .innerJoin('deadlines as d', (join) =>
      join.onRef('d.complaint_id', '=', 'a.complaint_id').on('d.kind', '=', 'department_response'),
    )
    .select(['a.id', 'a.complaint_id', 'd.starts_at', 'd.due_at'])
    .where('a.finding', '=', 'sustained')
    .orderBy('d.starts_at')
    .orderBy('a.id')
    .execute();
}

/** Cases past the board's decision, sustained findings first: what the demo's public-records release covers. */
export async function releasableDemoCases(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('complaints as c')
    .select('c.tracking_number')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('allegations as a')
            .select('a.id')
            .whereRef('a.complaint_id', '=', 'c.id')
            .where('a.finding', '=', 'sustained'),
        )
        .as('sustained'),
    )
    .where('c.stage', 'in', ['disposition', 'closed'])
    .where('c.outcome', '=', 'decided')
    .orderBy('sustained', 'desc')
    .orderBy('c.received_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.tracking_number);
}
