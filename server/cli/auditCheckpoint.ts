import { migrateToLatest } from '../db/migrator.js';
import { auditService } from '../services/audit.service.js';
import { openContext, runCommand } from './context.js';

// npm run audit:checkpoint > head.json: the chain head (id, hash, count, time) as JSON. Keep it
// somewhere else; `npm run audit:verify -- --checkpoint head.json` then detects a cut tail.
await runCommand(async () => {
  const context = await openContext('npm run audit:checkpoint');
  try {
    await migrateToLatest(context.database.db);
    process.stdout.write(`${JSON.stringify(await auditService(context.database.db).checkpoint())}\n`);
  } finally {
    await context.close();
  }
});
