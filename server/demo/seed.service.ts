import type { Db } from '../platform/db/database.js';
import { insertSyntheticComplaints, listActiveCodes, listOfficerIds, type StageTemplate } from './seed.repository.js';
import { MACHINE_VERSION } from '../../workflows/complaint.machine.js';
import { probeEvent } from '../../workflows/complaint.permissions.js';
import { advance, persist, stageOf, startComplaint, stateName } from '../../workflows/complaint.snapshot.js';
import type { ComplaintEventType } from '../../workflows/complaint.types.js';

export const SEED_BATCH_SIZE = 50_000;

const AT = '2026-01-01T00:00:00.000Z';
const TO_DRAFTED: ComplaintEventType[] = ['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN', 'BEGIN_INVESTIGATION', 'DRAFT_FINDINGS'];
const TO_VOTING: ComplaintEventType[] = [...TO_DRAFTED, 'SUBMIT_FINDINGS', 'OPEN_VOTING'];

/** A template per place a case can stand, made by walking the machine, so snapshots are real. */
function template(path: ComplaintEventType[]): StageTemplate {
  let snapshot = startComplaint().snapshot;
  for (const type of path) {
    const probe = probeEvent(type, AT);
    snapshot = advance(
      snapshot,
      probe.type === 'BOARD_DECIDED' ? { ...probe, reconsiderationUntil: AT } : probe,
    ).snapshot;
  }
  return {
    stage: stageOf(snapshot),
    state: stateName(snapshot),
    snapshot: persist(snapshot),
    machineVersion: MACHINE_VERSION,
    outcome: snapshot.context.outcome,
    closed: stageOf(snapshot) === 'closed',
  };
}

function repeat<T>(times: number, item: T): T[] {
  return Array.from({ length: times }, () => item);
}

/** Weights roughly as an agency's caseload over three years: most cases closed. */
export function seedTemplates(): StageTemplate[] {
  return [
    ...repeat(2, template([])),
    ...repeat(2, template(['BEGIN_TRIAGE'])),
    ...repeat(1, template(['BEGIN_TRIAGE', 'OFFER_MEDIATION'])),
    ...repeat(2, template(['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN'])),
    ...repeat(4, template(['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN', 'BEGIN_INVESTIGATION'])),
    ...repeat(1, template(TO_DRAFTED)),
    ...repeat(1, template([...TO_DRAFTED, 'SUBMIT_FINDINGS'])),
    ...repeat(1, template(TO_VOTING)),
    ...repeat(1, template([...TO_VOTING, 'BOARD_DECIDED'])),
    ...repeat(14, template([...TO_VOTING, 'BOARD_DECIDED', 'RECONSIDERATION_WINDOW_CLOSED'])),
    ...repeat(5, template(['BEGIN_TRIAGE', 'DISMISS'])),
    ...repeat(3, template(['BEGIN_TRIAGE', 'REFER'])),
    ...repeat(2, template(['BEGIN_TRIAGE', 'OFFER_MEDIATION', 'MEDIATION_SUCCEEDED'])),
    ...repeat(2, template(['WITHDRAW'])),
  ];
}

export type SeedService = ReturnType<typeof seedService>;

export function seedService(db: Db, templates: StageTemplate[] = seedTemplates()) {
  return {
    /** Loads `count` synthetic complaints in batches; calls `progress` after each batch. */
    async loadSyntheticComplaints(count: number, progress: (done: number) => void = () => {}): Promise<number> {
      const officerIds = await listOfficerIds(db);
      const { districts, categories } = await listActiveCodes(db);
      if (officerIds.length === 0 || districts.length === 0 || categories.length === 0) {
        throw new Error('No officers, districts or categories: start the app once to create the demo agency.');
      }
      let done = 0;
      while (done < count) {
        const batch = Math.min(SEED_BATCH_SIZE, count - done);
        done += await insertSyntheticComplaints(db, { count: batch, templates, districts, categories, officerIds });
        progress(done);
      }
      return done;
    },
  };
}
