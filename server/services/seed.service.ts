import type { Db } from '../db/database.js';
import {
  insertSyntheticComplaints,
  listActiveCodes,
  listOfficerIds,
  type StageTemplate,
} from '../db/seed.repository.js';

export const SEED_BATCH_SIZE = 50_000;

/**
 * Where synthetic complaints stand: weights roughly as an agency's caseload over three years (most
 * closed). Snapshots use XState's persisted shape; the workflow module will supply its own.
 */
export const PROVISIONAL_TEMPLATES: StageTemplate[] = [
  ...repeat(2, template('intake', 'intake.received', null)),
  ...repeat(2, template('intake', 'intake.triage', null)),
  ...repeat(1, template('mediation', 'mediation', null)),
  ...repeat(6, template('investigation', 'investigation.active', null)),
  ...repeat(2, template('boardReview', 'boardReview.scheduled', null)),
  ...repeat(1, template('disposition', 'disposition', null)),
  ...repeat(14, template('closed', 'closed', 'decided')),
  ...repeat(5, template('closed', 'closed', 'dismissed')),
  ...repeat(3, template('closed', 'closed', 'referred')),
  ...repeat(2, template('closed', 'closed', 'mediated')),
  ...repeat(2, template('closed', 'closed', 'withdrawn')),
];

function template(stage: string, state: string, outcome: StageTemplate['outcome']): StageTemplate {
  const [top, sub] = state.split('.');
  return {
    stage,
    state,
    outcome,
    closed: stage === 'closed',
    machineVersion: 0,
    snapshot: { status: stage === 'closed' ? 'done' : 'active', value: sub ? { [top!]: sub } : top, context: {} },
  };
}

function repeat<T>(times: number, item: T): T[] {
  return Array.from({ length: times }, () => item);
}

export type SeedService = ReturnType<typeof seedService>;

export function seedService(db: Db, templates: StageTemplate[] = PROVISIONAL_TEMPLATES) {
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
