import { parseArgs } from 'node:util';
import { migrateToLatest } from '../platform/db/migrator.js';
import { createTranslator } from '../platform/i18n.js';
import { services } from '../compose.js';
import { openContext, runCommand } from './context.js';

// npm run seed                       – create the demo agency on an empty database
// npm run seed -- --complaints 1000000 – also bulk-load synthetic complaints for load tests
await runCommand(async () => {
  const { values } = parseArgs({ options: { complaints: { type: 'string' } } });
  const count = values.complaints === undefined ? 0 : Number(values.complaints);
  if (!Number.isInteger(count) || count < 0 || count > 10_000_000) {
    throw new Error('--complaints takes a whole number from 0 to 10000000');
  }
  const context = await openContext('npm run seed');
  try {
    await migrateToLatest(context.database.db);
    const svc = services({
      config: context.config,
      database: context.database,
      translator: createTranslator(),
      logger: context.logger,
    });
    const demo = await svc.demo.ensureDemoData(context.config.demoPassword);
    process.stdout.write(demo.created ? 'Created the demo agency.\n' : 'The demo agency already exists.\n');
    if (count > 0) {
      const started = Date.now();
      const loaded = await svc.seed.loadSyntheticComplaints(count, (done) =>
        process.stdout.write(`  ${done} / ${count} complaints\n`),
      );
      process.stdout.write(
        `Loaded ${loaded} synthetic complaints in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
      );
    }
  } finally {
    await context.close();
  }
});
