import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../platform/db/migrator.js';
import { putSetting } from '../platform/db/settings.repository.js';
import { LAST_VERIFICATION, type LastVerification } from '../platform/audit/audit.anchor.js';
import { checkpointStore, parseCheckpoint } from '../platform/audit/audit.checkpoints.js';
import { auditService, type Checkpoint } from '../platform/audit/audit.service.js';
import { openContext } from './context.js';

// npm run audit:verify [-- --checkpoint head.json]
// Walks the chain and compares it with a checkpoint kept outside the database: the one given, or by
// default the newest in AUDIT_CHECKPOINT_DIR. Prints "audit chain OK (N events)" and exits 0, or
// names the first broken row (or the lost checkpoint) and exits 1; 2 when it cannot check.
const { values } = parseArgs({ options: { checkpoint: { type: 'string' } } });
let given: Checkpoint | undefined;
if (values.checkpoint) {
  let text = '';
  try {
    text = readFileSync(values.checkpoint, 'utf8');
  } catch (error) {
    process.stderr.write(`Cannot read the checkpoint: ${(error as Error).message}\n`);
    process.exit(2);
  }
  given = parseCheckpoint(text);
  if (!given) {
    process.stderr.write(`Cannot read the checkpoint: ${values.checkpoint} is not a checkpoint\n`);
    process.exit(2);
  }
}
const context = await openContext('npm run audit:verify');
let code = 0;
try {
  await migrateToLatest(context.database.db);
  const newest = given ? undefined : await checkpointStore(context.config.auditCheckpoints.dir).newest();
  const checkpoint = given ?? newest?.checkpoint;
  const against = values.checkpoint ?? newest?.file ?? null;
  process.stdout.write(
    against
      ? `Comparing with the checkpoint ${against}\n`
      : 'No checkpoint to compare with: the chain alone is checked\n',
  );
  const result = await auditService(context.database.db).verify(checkpoint);
  const outcome: LastVerification = {
    at: new Date().toISOString(),
    ok: result.ok,
    count: result.count,
    against,
    reason: result.ok ? null : result.reason,
  };
  await putSetting(context.database.db, LAST_VERIFICATION, outcome);
  if (result.ok) {
    process.stdout.write(`audit chain OK (${result.count} events)\n`);
  } else {
    const where = result.brokenAt === null ? 'the checkpoint row is gone' : `first broken row: ${result.brokenAt}`;
    process.stdout.write(`audit chain BROKEN: ${where}: ${result.reason}\n`);
    code = 1;
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  code = 2;
} finally {
  await context.close();
}
process.exit(code);
