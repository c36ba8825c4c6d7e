import type { Insertable } from 'kysely';
import type { ComplaintsTable } from '../../server/platform/db/schema.js';

/**
 * A complaint row written straight into the table, for tests of what reads it (counts, statistics,
 * clocks): a case under investigation, filed on the web in English, unless told otherwise.
 */
export function complaintRow(
  trackingNumber: string,
  overrides: Partial<Insertable<ComplaintsTable>> = {},
): Insertable<ComplaintsTable> {
  return {
    tracking_number: trackingNumber,
    access_code_hash: 'h',
    snapshot: '{}',
    machine_version: 1,
    stage: 'investigation',
    state: 'investigation.active',
    language: 'en',
    channel: 'web',
    narrative: 'n',
    ...overrides,
  };
}
