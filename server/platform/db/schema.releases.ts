/** Public-records releases (#19 part 5): append-only, the cases as lists so a purge is not held back. */

import type { Generated } from 'kysely';
import type { CreatedAt, Json } from './schema.columns.js';

/** What a release includes beside the case's outcome; identities and contact data never. */
export interface ReleaseOptions {
  allegations: boolean;
  /** Officers' names and badge numbers: none, only on sustained allegations, or on all. */
  officers: 'none' | 'sustained' | 'all';
  timeline: boolean;
  decision: boolean;
  narrative: boolean;
}

export interface RecordsReleasesTable {
  id: Generated<string>;
  reference: string;
  created_by: string;
  created_at: CreatedAt;
  options: Json<ReleaseOptions>;
  case_ids: string[];
  tracking_numbers: string[];
}
