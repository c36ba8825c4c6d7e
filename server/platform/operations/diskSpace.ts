import { statfs } from 'node:fs/promises';

/** Free bytes for an unprivileged writer on the file system of `folder`; undefined if it cannot tell. */
export async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}
