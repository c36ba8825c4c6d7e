import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, constants, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ID_PATTERN } from '../../domain/ids.js';

/** Names are made here as lower-case UUIDs; only such names are ever opened. */
export const isStoredName = (name: string) => ID_PATTERN.test(name) && name === name.toLowerCase();

/**
 * Where evidence files live, behind one interface so an object store can replace the local folder.
 * Names are made here (random UUIDs), never taken from a client, and only such names are opened.
 */
export interface EvidenceStorage {
  /** Takes the file over (it is gone from fromPath afterwards) and returns its stored name. */
  put(fromPath: string): Promise<string>;
  putBuffer(data: Buffer): Promise<string>;
  open(name: string): Readable;
  size(name: string): Promise<number>;
  /** Removing a file that is not there is not an error. */
  remove(name: string): Promise<void>;
  /** The stored names of files last written before `before`, in no order. */
  listOlderThan(before: Date): AsyncIterable<string>;
}

/** Readable by the app's user only: evidence can identify residents and officers. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export function localEvidenceStorage(dir: string): EvidenceStorage {
  let ready: Promise<unknown> | undefined;
  const ensureDir = () =>
    (ready ??= mkdir(dir, { recursive: true, mode: DIR_MODE }).catch((error: unknown) => {
      ready = undefined; // try again next time
      throw error;
    }));
  const pathOf = (name: string) => {
    // The only guard against a crafted name reaching the filesystem (../, absolute paths, NUL).
    if (!isStoredName(name)) throw new Error('not a stored evidence name');
    return path.join(dir, name);
  };

  return {
    async put(fromPath) {
      await ensureDir();
      const name = randomUUID();
      const target = path.join(dir, name);
      await chmod(fromPath, FILE_MODE); // before it appears under its stored name
      try {
        await rename(fromPath, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        // The temp folder is on another device: copy, then remove the temp file.
        try {
          await copyFile(fromPath, target, constants.COPYFILE_EXCL);
          await chmod(target, FILE_MODE);
        } catch (copyError) {
          await unlink(target).catch(() => undefined); // no half-copied file under a valid name
          throw copyError;
        }
        await unlink(fromPath);
      }
      return name;
    },

    async putBuffer(data) {
      await ensureDir();
      const name = randomUUID();
      await writeFile(path.join(dir, name), data, { mode: FILE_MODE, flag: 'wx' });
      return name;
    },

    open: (name) => createReadStream(pathOf(name)),

    async size(name) {
      return (await stat(pathOf(name))).size;
    },

    async *listOlderThan(before) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const name of names) {
        if (!isStoredName(name)) continue;
        const info = await stat(path.join(dir, name)).catch(() => undefined);
        if (info && info.mtime < before) yield name;
      }
    },

    async remove(name) {
      try {
        await unlink(pathOf(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}
