/** Public reporting: satisfaction surveys, the monthly statistics rollup and the open data rows. */

import type { ColumnType, Generated } from 'kysely';
import type { Language } from '../../domain/vocabulary.js';
import type { DateOnly, Timestamp } from './schema.columns.js';

export interface SurveysTable {
  id: Generated<string>;
  complaint_id: string;
  token_hash: string;
  language: Language;
  sent_at: Timestamp;
  answered_at: Timestamp | null;
  respect: number | null;
  understood: number | null;
  informed: number | null;
  explained: number | null;
  trust: number | null;
  comment: string | null;
}

/** A monthly count of one measure, by one key (a category, a district, a finding, a score…). */
export interface StatsRollupTable {
  month: DateOnly;
  measure: string;
  key: string;
  count: number;
}

/** One allegation as published in the open data: de-identified and generalised. */
export interface OpenDataRowsTable {
  row_no: ColumnType<string, string | number, never>;
  month: string;
  category: string;
  district: string;
  finding: string;
  days_to_close: string;
  stage: string;
}
