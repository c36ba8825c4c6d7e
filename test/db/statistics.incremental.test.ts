import { expect } from 'chai';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { complaintRow } from '../support/complaintRow.js';

// The statistics refresh applies what changed since the last one (#18 item 4). Whatever happens to
// the cases between two refreshes (filings, transitions, findings, new districts and dates, clocks
// and surveys completed, answers changed, purges, the department's responses and their clocks), the
// figures it keeps must equal a count of every case from scratch: the rollups, the open data and
// the disparity days.

const DAY = 86_400_000;
const CATEGORIES = ['force', 'discourtesy', 'bias'] as const;
const FINDINGS = [null, 'sustained', 'not_sustained', 'unfounded'] as const;
const DISTRICTS = [null, 'north', 'south'] as const;
const STAGES = ['intake', 'investigation', 'boardReview', 'closed'] as const;
const ANSWERS = [null, { ageRange: '25-34', gender: 'woman', races: ['black', 'white'] }, { gender: 'man' }] as const;

type Change =
  | { kind: 'file'; month: number; district: number; category: number; allegations: number; answers: number }
  | { kind: 'stage'; pick: number; stage: number; closedAfter: number }
  | { kind: 'finding'; pick: number; finding: number }
  | { kind: 'district'; pick: number; district: number }
  | { kind: 'received'; pick: number; month: number }
  | { kind: 'allegation'; pick: number; category: number; remove: boolean }
  | { kind: 'answers'; pick: number; answers: number }
  | { kind: 'clock'; pick: number; met: boolean }
  | { kind: 'survey'; pick: number; score: number }
  | { kind: 'moveClock'; pick: number; to: number }
  | { kind: 'purge'; pick: number }
  | { kind: 'response'; pick: number; discipline: number; concurred: boolean; month: number }
  | { kind: 'responseClock'; pick: number; state: number };

const index = (n: number) => fc.nat({ max: n - 1 });
const DISCIPLINES = ['none', 'suspension', 'termination'] as const;
/** A department response clock (#19): running, overdue, answered in time, answered late. */
const RESPONSE_CLOCKS = [
  { status: 'open', completed: false },
  { status: 'breached', completed: false },
  { status: 'met', completed: true },
  { status: 'breached', completed: true },
] as const;
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('file' as const),
    month: index(4),
    district: index(DISTRICTS.length),
    category: index(CATEGORIES.length),
    allegations: fc.integer({ min: 0, max: 3 }),
    answers: index(ANSWERS.length),
  }),
  fc.record({
    kind: fc.constant('stage' as const),
    pick: fc.nat(),
    stage: index(STAGES.length),
    closedAfter: fc.nat(400),
  }),
  fc.record({ kind: fc.constant('finding' as const), pick: fc.nat(), finding: index(FINDINGS.length) }),
  fc.record({ kind: fc.constant('district' as const), pick: fc.nat(), district: index(DISTRICTS.length) }),
  fc.record({ kind: fc.constant('received' as const), pick: fc.nat(), month: index(4) }),
  fc.record({
    kind: fc.constant('allegation' as const),
    pick: fc.nat(),
    category: index(CATEGORIES.length),
    remove: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('answers' as const), pick: fc.nat(), answers: index(ANSWERS.length) }),
  fc.record({ kind: fc.constant('clock' as const), pick: fc.nat(), met: fc.boolean() }),
  fc.record({ kind: fc.constant('survey' as const), pick: fc.nat(), score: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('purge' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('moveClock' as const), pick: fc.nat(), to: fc.nat() }),
  fc.record({
    kind: fc.constant('response' as const),
    pick: fc.nat(),
    discipline: index(DISCIPLINES.length),
    concurred: fc.boolean(),
    month: index(4),
  }),
  fc.record({ kind: fc.constant('responseClock' as const), pick: fc.nat(), state: index(RESPONSE_CLOCKS.length) }),
);

describe('public statistics: a refresh from the changes equals a count from scratch (#18 item 4)', () => {
  const database = useDatabase();
  let services: Services;
  let filed = 0;
  const db = () => database.db;

  /** A month of 2026 (the 15th, at noon in Los Angeles), numbered from 0. */
  const monthAt = (month: number) => new Date(Date.UTC(2026, month, 15, 20));

  const file = async (c: Extract<Change, { kind: 'file' }>) => {
    filed += 1;
    const { id } = await db()
      .insertInto('complaints')
      .values(
        complaintRow(`OC-INC-${String(filed).padStart(5, '0')}`, {
          stage: 'intake',
          state: 'intake.triage',
          district: DISTRICTS[c.district] ?? null,
          received_at: monthAt(c.month),
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const answers = ANSWERS[c.answers];
    await db()
      .insertInto('complainants')
      .values({
        complaint_id: id,
        role: 'complainant',
        name: 'A',
        demographics: answers ? JSON.stringify(answers) : null,
      })
      .execute();
    for (let n = 0; n < c.allegations; n += 1) {
      await db()
        .insertInto('allegations')
        .values({ complaint_id: id, category: CATEGORIES[(c.category + n) % CATEGORIES.length]!, summary: 's' })
        .execute();
    }
  };

  /** The complaint `pick` chooses among those there are, if any. */
  const pickComplaint = async (pick: number) => {
    const ids = await db().selectFrom('complaints').select(['id', 'received_at']).orderBy('tracking_number').execute();
    return ids.length ? ids[pick % ids.length]! : undefined;
  };

  const apply = async (c: Change) => {
    if (c.kind === 'file') return file(c);
    const complaint = await pickComplaint(c.pick);
    if (!complaint) return;
    const { id } = complaint;
    const received = new Date(complaint.received_at).getTime();
    switch (c.kind) {
      case 'stage': {
        const closed = STAGES[c.stage] === 'closed';
        await db()
          .updateTable('complaints')
          .set({ stage: STAGES[c.stage]!, closed_at: closed ? new Date(received + c.closedAfter * DAY) : null })
          .where('id', '=', id)
          .execute();
        return;
      }
      case 'finding': {
        const allegation = await db()
          .selectFrom('allegations')
          .select('id')
          .where('complaint_id', '=', id)
          .executeTakeFirst();
        if (allegation) {
          await db()
            .updateTable('allegations')
            .set({ finding: FINDINGS[c.finding]!, decided_at: FINDINGS[c.finding] ? new Date() : null })
            .where('id', '=', allegation.id)
            .execute();
        }
        return;
      }
      case 'district':
        await db().updateTable('complaints').set({ district: DISTRICTS[c.district]! }).where('id', '=', id).execute();
        return;
      case 'received':
        await db()
          .updateTable('complaints')
          .set({ received_at: monthAt(c.month) })
          .where('id', '=', id)
          .execute();
        return;
      case 'allegation':
        if (c.remove) {
          await sql`delete from allegations where id = (select min(id::text)::uuid from allegations where complaint_id = ${id})`.execute(
            db(),
          );
        } else {
          await db()
            .insertInto('allegations')
            .values({ complaint_id: id, category: CATEGORIES[c.category]!, summary: 's' })
            .execute();
        }
        return;
      case 'answers': {
        const answers = ANSWERS[c.answers];
        await db()
          .updateTable('complainants')
          .set({ demographics: answers ? JSON.stringify(answers) : null })
          .where('complaint_id', '=', id)
          .execute();
        return;
      }
      case 'clock':
        await db()
          .insertInto('deadlines')
          .values({
            complaint_id: id,
            kind: 'investigation',
            starts_at: new Date(received),
            due_at: new Date(received + 180 * DAY),
            status: c.met ? 'met' : 'breached',
            completed_at: new Date(received + 90 * DAY),
          })
          .execute();
        return;
      case 'survey':
        await db()
          .insertInto('surveys')
          .values({
            complaint_id: id,
            token_hash: `t-${id}-${c.score}-${Math.random()}`,
            language: 'en',
            sent_at: new Date(received),
            answered_at: new Date(received + 5 * DAY),
            respect: c.score,
            trust: c.score % 2 ? c.score : null,
          })
          .onConflict((oc) => oc.column('complaint_id').doUpdateSet({ respect: c.score, trust: null }))
          .execute();
        return;
      case 'moveClock': {
        const target = await pickComplaint(c.to);
        await sql`update deadlines set complaint_id = ${target!.id}
                   where id = (select min(id::text)::uuid from deadlines where complaint_id = ${id})`.execute(db());
        return;
      }
      case 'purge':
        await db().deleteFrom('complaints').where('id', '=', id).execute();
        return;
      case 'response': {
        // A new entry for one of its allegations (the latest counts, and only while sustained).
        const allegation = await db()
          .selectFrom('allegations')
          .select('id')
          .where('complaint_id', '=', id)
          .orderBy('id')
          .executeTakeFirst();
        if (!allegation) return;
        const discipline = DISCIPLINES[c.discipline]!;
        await db()
          .insertInto('department_responses')
          .values({
            complaint_id: id,
            allegation_id: allegation.id,
            concurred: c.concurred,
            discipline,
            suspension_days: discipline === 'suspension' ? 5 : null,
            responded_on: monthAt(c.month).toISOString().slice(0, 10),
          })
          .execute();
        return;
      }
      case 'responseClock': {
        const state = RESPONSE_CLOCKS[c.state]!;
        const running = await db()
          .selectFrom('deadlines')
          .select('id')
          .where('complaint_id', '=', id)
          .where('kind', '=', 'department_response')
          .executeTakeFirst();
        const values = { status: state.status, completed_at: state.completed ? new Date(received + 40 * DAY) : null };
        if (running) await db().updateTable('deadlines').set(values).where('id', '=', running.id).execute();
        else
          await db()
            .insertInto('deadlines')
            .values({
              complaint_id: id,
              kind: 'department_response',
              starts_at: new Date(received),
              due_at: new Date(received + 30 * DAY),
              ...values,
            })
            .execute();
        return;
      }
    }
  };

  /** Every figure kept, in a comparable order. */
  const figures = async () => ({
    rollup: await db()
      .selectFrom('stats_rollup')
      .selectAll()
      .orderBy('month')
      .orderBy('measure')
      .orderBy('key')
      .execute(),
    open: (await db().selectFrom('open_data_rows').selectAll().orderBy('sort_key').execute()).flatMap((r) =>
      Array.from({ length: r.n }, () => [r.month, r.category, r.district, r.finding, r.days_to_close, r.stage].join()),
    ),
    disparity: await db()
      .selectFrom('disparity_days')
      .selectAll()
      .orderBy('day')
      .orderBy('dimension')
      .orderBy('value')
      .execute(),
  });

  before(async () => {
    ({ services } = testApp(database.handle));
    await db()
      .insertInto('districts')
      .values([
        { code: 'north', name_en: 'North', name_es: 'Norte' },
        { code: 'south', name_en: 'South', name_es: 'Sur' },
      ])
      .execute();
    // Enough cases that some combinations reach the small-cell threshold of 5.
    for (let i = 0; i < 24; i += 1) {
      await file({ kind: 'file', month: i % 2, district: 1, category: 0, allegations: 1 + (i % 2), answers: i % 3 });
    }
    await services.statistics.refresh();
  });

  it('after any changes, the kept figures are those a full count gives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        for (const c of changes) await apply(c);
        await services.statistics.refresh();
        const incremental = await figures();
        // Counted again from every case: as after a change of time zone.
        await db().deleteFrom('settings').where('key', '=', 'statistics.time_zone').execute();
        await services.statistics.refresh();
        expect(incremental).to.deep.equal(await figures());
        expect(await db().selectFrom('stats_changes').select('id').execute()).to.deep.equal([]);
      }),
      { numRuns: 25 },
    );
  });

  it('leaves every figure as it was when nothing changed, and ignores changes no figure counts', async () => {
    const before = await figures();
    await db().updateTable('complaints').set({ updated_at: new Date(), narrative: 'edited' }).execute();
    expect(await db().selectFrom('stats_changes').select('id').execute()).to.deep.equal([]);
    await services.statistics.refresh();
    expect(await figures()).to.deep.equal(before);
  });
});
