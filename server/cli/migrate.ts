import { migrateDown, migrateToLatest } from '../platform/db/migrator.js';
import { openContext, runCommand } from './context.js';

// npm run migrate            – apply every pending migration
// npm run migrate -- --down  – undo the most recent one
await runCommand(async () => {
  const down = process.argv.includes('--down');
  const context = await openContext('npm run migrate');
  try {
    const results = down ? await migrateDown(context.database.db) : await migrateToLatest(context.database.db);
    if (results.length === 0) process.stdout.write('Nothing to do: the database is up to date.\n');
    for (const r of results)
      process.stdout.write(`${r.direction === 'Down' ? 'undid' : 'applied'} ${r.migrationName}\n`);
  } finally {
    await context.close();
  }
});
