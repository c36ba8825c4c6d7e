import { createApp } from '../server/app.js';
import { createTranslator } from '../server/platform/i18n.js';
import { createLogger } from '../server/platform/logger.js';
import { services as buildServices } from '../server/compose.js';
import { openDatabase } from '../server/platform/db/database.js';
import { benchConfig } from './bench.config.js';

// The app alone, in its own process, so the bench can read this process's memory while it serves
// and records every latency from outside it: started by bench.ts (bench.process.ts) with
// BENCH_DATA_DIR (and DATABASE_URL for PostgreSQL; two at once for the mixed load), on a database
// the bench has already migrated, seeded and refreshed. No sweeper or refresh runs in the
// background here: the bench times those itself. Prints {"port": N}.

const dataDir = process.env['BENCH_DATA_DIR'];
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
const config = benchConfig(dataDir);
const logger = createLogger('silent');
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: `${dataDir}/pglite`,
  logger,
  // As `npm start` opens it (server/cli/context.ts): the app's requests are held to the timeout.
  statementTimeoutMs: config.statementTimeoutMs,
});
const translator = createTranslator();
const app = createApp({
  config,
  logger,
  translator,
  services: buildServices({ config, database, translator, logger }),
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    void database.close().finally(() => process.exit(0));
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
