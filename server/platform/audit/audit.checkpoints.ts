import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Checkpoint } from './audit.service.js';

const FILE = /^audit-checkpoint-.+\.json$/;

export type CheckpointStore = ReturnType<typeof checkpointStore>;

/**
 * Checkpoints of the audit chain kept as files outside the database (#15 item 11), so a superuser
 * who rewrites or cuts the chain's tail cannot rewrite them too. One file per checkpoint.
 */
export function checkpointStore(dir: string) {
  return {
    dir,

    async write(checkpoint: Checkpoint): Promise<string> {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const stamp = checkpoint.at.replace(/[:.]/g, '-');
      const file = path.join(dir, `audit-checkpoint-${stamp}-${checkpoint.count}.json`);
      await writeFile(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
      return file;
    },

    /** The checkpoint furthest along the chain (the most events), or undefined when there is none. */
    async newest(): Promise<{ file: string; checkpoint: Checkpoint } | undefined> {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => FILE.test(name));
      let best: { file: string; checkpoint: Checkpoint } | undefined;
      for (const name of names) {
        const file = path.join(dir, name);
        const checkpoint = parseCheckpoint(await readFile(file, 'utf8').catch(() => ''));
        if (!checkpoint) continue;
        const better =
          !best ||
          checkpoint.count > best.checkpoint.count ||
          (checkpoint.count === best.checkpoint.count && checkpoint.at > best.checkpoint.at);
        if (better) best = { file, checkpoint };
      }
      return best;
    },
  };
}

/** A checkpoint read from text, or undefined when it is not one. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  try {
    const value = JSON.parse(text) as Partial<Checkpoint>;
    const ok =
      Number.isInteger(value.id) &&
      typeof value.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(value.hash) &&
      Number.isInteger(value.count) &&
      typeof value.at === 'string';
    return ok ? (value as Checkpoint) : undefined;
  } catch {
    return undefined;
  }
}
