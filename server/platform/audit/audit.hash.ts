import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  occurredAt: Date;
  eventType: string;
  actorType: string;
  actorId: string | null;
  outcome: string;
  objectType: string | null;
  objectId: string | null;
  requestId: string | null;
  details: unknown;
}

/**
 * JSON with object keys sorted at every depth: jsonb stores keys in its own order, so the text
 * hashed when writing must be rebuilt exactly when verifying.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 over the previous hash and the row's canonical serialisation (RFC 6962 style chaining). */
export function auditHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(auditBody(fields)).digest('hex');
}

/**
 * The row's canonical serialisation, the part of the hashed text that does not depend on the chain:
 * the database appends it after the head's hash itself (audit.repository.ts appendToChain).
 */
export function auditBody(fields: HashedFields): string {
  return canonicalJson({
    actorId: fields.actorId,
    actorType: fields.actorType,
    details: fields.details,
    eventType: fields.eventType,
    objectId: fields.objectId,
    objectType: fields.objectType,
    occurredAt: fields.occurredAt.toISOString(),
    outcome: fields.outcome,
    requestId: fields.requestId,
  });
}
