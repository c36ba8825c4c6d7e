import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.js';
import { acquireEmbeddedLock } from '../platform/db/embeddedLock.js';
import { createLogger, type Logger } from '../platform/logger.js';

export interface CliContext {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  /** Closes the database and releases the embedded lock. */
  close(): Promise<void>;
}

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** Config, logger and database for a command or the server; exits with a clear message on bad config. */
/** What the app's own start-up calls itself (server/main.ts). */
export const APP = 'the app (npm start)';

export async function openContext(who: string): Promise<CliContext> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const release = config.databaseUrl ? () => {} : acquireEmbeddedLock(config.dataDir, who);
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: pgliteDir(config),
      logger,
      // The app's requests are held to the timeout; a tool run by hand (a migration, a seed) is not.
      statementTimeoutMs: who === APP ? config.statementTimeoutMs : 0,
    });
    return {
      config,
      logger,
      database,
      close: async () => {
        await database.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Runs a command's body and exits 0 on success, 1 with its message on failure. */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
