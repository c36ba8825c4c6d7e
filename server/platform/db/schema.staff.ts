/**
 * Staff accounts and their security: users and roles, sessions, sign-in rate limits, password
 * resets and API tokens.
 */

import type { Generated } from 'kysely';
import type { Language, Role } from '../../domain/vocabulary.js';
import type { CreatedAt, Json, Timestamp } from './schema.columns.js';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  language: Generated<Language>;
  totp_secret: string | null;
  totp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  password_changed_at: Timestamp;
  created_at: CreatedAt;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
  granted_at: CreatedAt;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface RateLimitsTable {
  bucket: string;
  failures: number;
  window_ends_at: Timestamp;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  issued_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  /** Null until the holder collects the token: only then is a secret made. */
  token_hash: string | null;
  issued_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  collected_at: Timestamp | null;
  expires_at: Timestamp | null;
}
