import { migrateToLatest } from '../platform/db/migrator.js';
import { checkpointStore } from '../platform/audit/audit.checkpoints.js';
import { auditService } from '../platform/audit/audit.service.js';
import { openContext, runCommand } from './context.js';

// npm run audit:checkpoint: writes the chain head (id, hash, count, time) to a file in
// AUDIT_CHECKPOINT_DIR, outside the database, and prints it as JSON; copy it somewhere else too.
// `npm run audit:verify` then compares against the newest such file and detects a cut tail.
await runCommand(async () => {
  const context = await openContext('npm run audit:checkpoint');
  try {
    await migrateToLatest(context.database.db);
    const checkpoint = await auditService(context.database.db).checkpoint();
    const file = await checkpointStore(context.config.auditCheckpoints.dir).write(checkpoint);
    process.stderr.write(`Wrote ${file}\n`);
    process.stdout.write(`${JSON.stringify(checkpoint)}\n`);
  } finally {
    await context.close();
  }
});
