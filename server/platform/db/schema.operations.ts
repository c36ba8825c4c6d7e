/** Running the agency's system: the audit trail, the mail outbox and settings. */

import type { Generated } from 'kysely';
import type { Language } from '../../domain/vocabulary.js';
import type { CreatedAt, Json, Timestamp } from './schema.columns.js';

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: Date;
  event_type: string;
  actor_type: 'user' | 'public' | 'system' | 'token';
  actor_id: string | null;
  outcome: 'success' | 'failure';
  object_type: string | null;
  object_id: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  recipient: string;
  template: string;
  language: Language;
  data: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}
