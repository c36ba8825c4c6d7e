import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite's files must have one process at a time. The app (and each command) holds a pid file
 * in DATA_DIR while it has the embedded database open; a second opener is refused with a message.
 */
export function acquireEmbeddedLock(dataDir: string, who: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'pglite.lock');
  const record = JSON.stringify({ pid: process.pid, who });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx' creates the file only if it is absent, so two processes starting together cannot both win.
      writeFileSync(file, record, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by ${holder.who} (pid ${holder.pid}). Stop it first, ` +
            'or set DATABASE_URL to use a PostgreSQL server, which many processes can share.',
        );
      }
      rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

function readHolder(file: string): { pid: number; who: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; who: string };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
