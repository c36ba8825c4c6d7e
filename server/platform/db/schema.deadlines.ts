/** Deadlines: the policies that set them, the holidays they skip, and each case's running deadlines. */

import type { Generated } from 'kysely';
import type { CreatedAt, DateOnly, Timestamp } from './schema.columns.js';

export interface DeadlinePoliciesTable {
  kind: string;
  amount: number;
  unit: 'business_days' | 'calendar_days' | 'months';
  warn_before_days: Generated<number>;
  statutory: Generated<boolean>;
  updated_at: Timestamp;
}

export interface HolidaysTable {
  day: DateOnly;
  name: string;
  source: Generated<'admin' | 'calendar'>;
}

export interface DeadlinesTable {
  id: Generated<string>;
  complaint_id: string;
  kind: string;
  starts_at: Timestamp;
  due_at: Timestamp;
  warn_at: Timestamp | null;
  status: Generated<'open' | 'warned' | 'breached' | 'met' | 'cancelled'>;
  tolled_at: Timestamp | null;
  tolled_reason: string | null;
  next_check_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
}
