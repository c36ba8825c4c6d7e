import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../db/migrator.js';
import { auditService, type Checkpoint } from '../services/audit.service.js';
import { openContext } from './context.js';

// npm run audit:verify [-- --checkpoint head.json]
// Prints "audit chain OK (N events)" and exits 0, or names the first broken row and exits 1.
const { values } = parseArgs({ options: { checkpoint: { type: 'string' } } });
let checkpoint: Checkpoint | undefined;
try {
  checkpoint = values.checkpoint ? (JSON.parse(readFileSync(values.checkpoint, 'utf8')) as Checkpoint) : undefined;
} catch (error) {
  process.stderr.write(`Cannot read the checkpoint: ${(error as Error).message}\n`);
  process.exit(2);
}
const context = await openContext('npm run audit:verify');
let code = 0;
try {
  await migrateToLatest(context.database.db);
  const result = await auditService(context.database.db).verify(checkpoint);
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
