import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What a repository function takes first: the database or a transaction the caller opened. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * A condition another repository's statement is run on, in the same round trip: the common-table
 * expression it reads (a quota taken, say) and the test on it.
 */
export interface StatementGuard {
  cte: RawBuilder<unknown>;
  when: RawBuilder<boolean>;
}
