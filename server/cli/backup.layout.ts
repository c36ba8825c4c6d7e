import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Checkpoint } from '../platform/audit/audit.service.js';

/** What a backup folder holds (npm run backup, npm run restore). */
export const BACKUP_FILES = {
  pglite: 'database.tar.gz',
  postgres: 'database.dump',
  files: 'files',
  checkpoint: 'audit-checkpoint.json',
  manifest: 'manifest.json',
} as const;

export interface BackupManifest {
  createdAt: string;
  database: 'pglite' | 'postgres';
  files: number;
  checkpoint: Checkpoint;
}

/** Copies every evidence file from one folder to another (files are never changed in place); the count. */
export async function copyEvidenceFiles(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  const names = await readdir(from).catch(() => [] as string[]);
  for (const name of names) await copyFile(path.join(from, name), path.join(to, name));
  return names.length;
}
