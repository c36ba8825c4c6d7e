import type { Clock } from '../clock.js';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/database.js';
import { unreferencedFileNames } from './evidenceFiles.repository.js';
import type { EvidenceStorage } from './evidence.storage.js';

/** Files younger than this may belong to an upload still in flight, in this or another instance. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;
const BATCH = 500;

export type EvidenceJanitor = ReturnType<typeof evidenceJanitor>;

/**
 * Removes what a crash during uploads leaves behind (#15 item 9): stored originals and viewing
 * copies that no attachment or form in progress points to, and temporary files of uploads that
 * never finished. Only files older than the grace period are touched, so an upload in flight on
 * shared storage is never removed under another instance's feet.
 */
export function evidenceJanitor(deps: {
  db: Db;
  storage: EvidenceStorage;
  /** Where multer writes uploads as they arrive. */
  incomingDir: string;
  graceMs?: number;
  clock: Clock;
}) {
  const now = deps.clock;
  const grace = deps.graceMs ?? ORPHAN_GRACE_MS;

  async function removeStoredOrphans(before: Date): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      for (const name of await unreferencedFileNames(deps.db, batch)) {
        await deps.storage.remove(name);
        removed += 1;
      }
      batch = [];
    };
    for await (const name of deps.storage.listOlderThan(before)) {
      batch.push(name);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return removed;
  }

  async function removeTemporaries(before: Date): Promise<number> {
    const names = await readdir(deps.incomingDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const file = path.join(deps.incomingDir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile() || info.mtime >= before) continue;
      await rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }

  return {
    async sweep(): Promise<{ files: number; temporaries: number }> {
      const before = new Date(now().getTime() - grace);
      return { files: await removeStoredOrphans(before), temporaries: await removeTemporaries(before) };
    },
  };
}
