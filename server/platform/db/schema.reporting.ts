/** Public reporting: satisfaction surveys, the monthly statistics rollup and the open data rows. */

import type { ColumnType, Generated } from 'kysely';
import type { Language } from '../../domain/vocabulary.js';
import type { DateOnly, Json, Timestamp } from './schema.columns.js';

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

/** A community trust survey wave (#19 part 4): open from `opens_on` to `closes_on` unless closed early. */
export interface TrustWavesTable {
  id: Generated<string>;
  opens_on: DateOnly;
  closes_on: DateOnly;
  items: string[];
  asks_demographics: boolean;
  created_by: string;
  created_at: Generated<Date>;
  closed_at: Timestamp | null;
}

/** The hash of a browser's one-time token that answered a wave: nothing else. */
export interface TrustBallotsTable {
  wave_id: string;
  token_hash: string;
}

/** One anonymous answer to a wave: scores by item, the district and demographics if given. */
export interface TrustAnswersTable {
  id: Generated<string>;
  wave_id: string;
  answered_on: DateOnly;
  district: string | null;
  scores: Json<Record<string, number>>;
  age_range: string | null;
  gender: string | null;
  race: string | null;
}

/** A wave's running totals per district ('unknown' when not given) and item ('' counts respondents). */
export interface TrustResultsTable {
  wave_id: string;
  district: string;
  item: string;
  answers: number;
  score_sum: number;
}

/** A monthly count of one measure, by one key (a category, a district, a finding, a score…). */
export interface StatsRollupTable {
  month: DateOnly;
  measure: string;
  key: string;
  count: number;
}

/**
 * A combination as published in the open data, de-identified and generalised, standing for `n`
 * allegations (one row each in the files); `grp` is the group it was derived from.
 */
export interface OpenDataRowsTable {
  month: string;
  category: string;
  district: string;
  finding: string;
  days_to_close: string;
  stage: string;
  n: Generated<number>;
  grp: Generated<string>;
  /** Every column joined: the files' order and their paging key. */
  sort_key: ColumnType<string, never, never>;
}

/** The open data before it is generalised: allegations and distinct complaints per combination. */
export interface OpenDataCellsTable {
  month: string;
  category: string;
  finding: string;
  stage: string;
  district: string;
  days_band: string;
  rows: number;
  complaints: number;
}

/** A complaint whose published figures may have changed since the last statistics refresh. */
export interface StatsChangesTable {
  id: Generated<string>;
  complaint_id: string;
}

/** What the last statistics refresh counted of a complaint (statistics.repository.ts). */
export interface StatsSnapshotsTable {
  complaint_id: string;
  received_month: DateOnly;
  received_day: DateOnly;
  district: string;
  stage: string;
  closed_month: DateOnly | null;
  closed_days: number | null;
  days_band: string;
  categories: string[];
  findings: string[];
  decided: boolean;
  sustained: boolean;
  age_range: string;
  gender: string;
  races: string[];
  clocks: string[];
  surveys: string[];
  /** Each sustained allegation's latest response: month, category, 'yes'/'no' concurred, discipline. */
  responses: string[];
  /** The month each response still awaited fell due. */
  responses_overdue: string[];
}
