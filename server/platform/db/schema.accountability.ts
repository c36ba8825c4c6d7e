/** Closing the accountability loop (#19): what the department did with the board's findings. */

import type { Generated } from 'kysely';
import type { CreatedAt, DateOnly } from './schema.columns.js';
import type { Discipline } from '../../domain/vocabulary.js';

/** One dated entry of the department's response to a sustained allegation; never edited (migration 0025). */
export interface DepartmentResponsesTable {
  id: Generated<string>;
  complaint_id: string;
  allegation_id: string;
  concurred: boolean;
  discipline: Discipline;
  suspension_days: number | null;
  responded_on: DateOnly;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}
