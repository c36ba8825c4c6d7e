import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationResult } from 'kysely';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
  });
}

export class MigrationError extends Error {
  constructor(
    cause: unknown,
    public readonly results: MigrationResult[],
  ) {
    super(`Migration failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

function unwrap({ error, results }: { error?: unknown; results?: MigrationResult[] }): MigrationResult[] {
  if (error) throw new MigrationError(error, results ?? []);
  return results ?? [];
}

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Undoes the most recent migration. */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  return unwrap(await migrator(db).migrateDown());
}

export async function migrateToNone<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** How many tables the database's public schema holds (0: an empty database, safe to restore into). */
export async function publicTableCount<DB>(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
    where table_schema = 'public'`.execute(db);
  return rows[0]!.n;
}
