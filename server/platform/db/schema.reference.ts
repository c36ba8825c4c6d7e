/** Reference data the cases point at: districts, allegation categories and the officer roster. */

import type { Generated } from 'kysely';
import type { CreatedAt } from './schema.columns.js';

export interface DistrictsTable {
  code: string;
  name_en: string;
  name_es: string;
  active: Generated<boolean>;
}

export interface AllegationCategoriesTable {
  code: string;
  name_en: string;
  name_es: string;
  position: Generated<number>;
  active: Generated<boolean>;
}

export interface OfficersTable {
  id: Generated<string>;
  badge_number: string | null;
  first_name: string;
  last_name: string;
  rank: string | null;
  unit: string | null;
  district: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
}
