import type { Server } from 'node:http';
import { createApp } from './app.js';
import { APP, openContext } from './cli/context.js';
import { migrateToLatest } from './platform/db/migrator.js';
import { createTranslator } from './platform/i18n.js';
import { demoBanner } from './demo/demo.banner.js';
import { services } from './compose.js';

// The composition root: config, database, migrations, services, the app, and a graceful stop.
const context = await openContext(APP);
const { config, logger, database } = context;
await migrateToLatest(database.db);
const translator = createTranslator();
const svc = services({ config, database, translator, logger });
if (!config.production) {
  // To standard error, apart from the JSON log on standard output: the log must not carry passwords.
  const demo = await svc.demo.ensureDemoData(config.demoPassword);
  const where = { publicBaseUrl: config.publicBaseUrl, mailCaptured: svc.mail.captured !== undefined };
  process.stderr.write(`${demoBanner(demo, where).join('\n')}\n`);
}

if (config.production && config.trustProxy === false) {
  const advice =
    'Staff sign-in needs HTTPS, and this app does not end TLS itself. Behind a proxy that ends HTTPS, set TRUST_PROXY (for example TRUST_PROXY=1), or no staff cookie will ever be set and sign-in will fail.';
  logger.warn({ trustProxy: false }, advice);
  process.stderr.write(`\n  ${advice}\n`);
}
const app = createApp({ config, logger, translator, services: svc });
svc.outbox.start();
svc.deadlines.startSweeper(60_000, async () => {
  await svc.boardVotes.closeLapsedReconsiderations();
  await svc.operations.sweeperRan();
});
svc.operations.startWatchdog();
svc.housekeeping.start();
// The public statistics are refreshed in the background (the first refresh of a database counts every
// case, a minute at a million complaints), and the pages show the last refresh meanwhile.
svc.statistics.refreshSoon();
svc.statistics.start();
const server: Server = app.listen(config.port, () => {
  logger.info({ port: config.port, database: database.kind }, 'listening');
  process.stdout.write(`\n  ${config.agencyName} is running on ${config.publicBaseUrl}\n\n`);
});
server.on('error', (error) => {
  logger.fatal({ err: { message: error.message } }, 'server failed to start');
  void context.close().finally(() => process.exit(1));
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  server.close();
  server.closeIdleConnections();
  await new Promise((resolve) => server.once('close', resolve));
  svc.deadlines.stopSweeper();
  svc.housekeeping.stop();
  svc.operations.stopWatchdog();
  svc.statistics.stop();
  await svc.outbox.stop();
  svc.mail.close();
  await context.close();
  clearTimeout(force);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (reason) => {
  logger.error({ err: { message: reason instanceof Error ? reason.message : String(reason) } }, 'unhandled rejection');
});
