import { migrateToLatest } from '../platform/db/migrator.js';
import { createTranslator } from '../platform/i18n.js';
import { services } from '../compose.js';
import { openContext, runCommand } from './context.js';

// npm run sweep: one pass of the deadline sweeper (warnings and breaches), the outbox, and a refresh
// of the public statistics.
await runCommand(async () => {
  const context = await openContext('npm run sweep');
  try {
    await migrateToLatest(context.database.db);
    const svc = services({ ...context, translator: createTranslator() });
    const swept = await svc.deadlines.sweep();
    const closed = await svc.boardVotes.closeLapsedReconsiderations();
    await svc.operations.sweeperRan();
    const mailed = await svc.outbox.runOnce();
    const refreshed = await svc.statistics.refresh();
    process.stdout.write(
      `deadlines: ${swept.warned} warned, ${swept.breached} breached; ` +
        `cases closed after their reconsideration window: ${closed}; emails sent: ${mailed.sent}; ` +
        `public statistics refreshed at ${refreshed.toISOString()}\n`,
    );
    svc.mail.close();
  } finally {
    await context.close();
  }
});
