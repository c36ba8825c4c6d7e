import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Config } from '../config.js';
import type { EvidenceService, StoredEvidence } from './evidence.service.js';
import { freeBytes } from '../operations/diskSpace.js';
import type { AlertsService } from '../operations/alerts.service.js';
import type { Quotas } from '../security/quotas.js';

/** Why a multipart request's files were not taken: each becomes a field error, never a 500 (R19). */
export type UploadProblem =
  | 'tooMany'
  | 'tooLarge'
  | 'malformed'
  | 'type'
  | 'empty'
  /** Below the floor of free disk, or the disk filled while writing (#15 item 6). */
  | 'storageFull'
  /** The files of one complaint form together are over their size. */
  | 'draftFull'
  /** One client uploaded more than its day's share. */
  | 'clientQuota';

declare module 'express-serve-static-core' {
  interface Request {
    uploadProblem?: UploadProblem;
  }
}

export interface ReceiveOptions {
  uploadDir: string;
  maxFiles: number;
  maxBytes: number;
  /** Below this many free bytes where uploads are written, uploads are refused unread. */
  minFreeBytes?: number;
  /** Told when an upload is refused for want of disk (an admin should act). */
  onStorageLow?: (freeBytes: number | undefined) => void;
}

/**
 * Multipart bodies with up to `maxFiles` files in the field `evidence`, written to a private
 * incoming folder under server-made names; multer removes what it wrote when it gives up. A disk
 * below its floor, or one that fills while writing, is the upload problem 'storageFull', never a crash.
 */
export function receiveEvidence(options: ReceiveOptions): RequestHandler {
  const incoming = path.join(options.uploadDir, 'incoming');
  mkdirSync(incoming, { recursive: true, mode: 0o700 });
  const upload = multer({
    // Browsers send a file's name as UTF-8 without saying so; multer would read it as Latin-1.
    defParamCharset: 'utf8',
    storage: multer.diskStorage({
      destination: incoming,
      filename: (_req, _file, done) => done(null, randomUUID()),
    }),
    limits: {
      fileSize: options.maxBytes,
      files: options.maxFiles,
      fields: 20,
      fieldSize: 200_000,
      parts: options.maxFiles + 20,
      headerPairs: 100,
    },
  }).array('evidence', options.maxFiles);

  const refuse = (req: Request, problem: UploadProblem) => {
    req.uploadProblem = problem;
    req.files = [];
    req.body ??= {};
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    if (options.minFreeBytes) {
      const free = await freeBytes(incoming);
      if (free !== undefined && free < options.minFreeBytes) {
        options.onStorageLow?.(free);
        refuse(req, 'storageFull');
        // The body is not read; the connection ends with the answer.
        res.setHeader('Connection', 'close');
        return next();
      }
    }
    upload(req, res, (error: unknown) => {
      if (error) {
        refuse(req, problemOf(error));
        if (req.uploadProblem === 'storageFull') options.onStorageLow?.(undefined);
      }
      next();
    });
  };
}

/** The upload middleware as the app configures it: its limits, its disk floor, and an alert to admins below it. */
export function evidenceUploads(services: { alerts: AlertsService }, config: Config): RequestHandler {
  const floorMb = Math.round(config.limits.minFreeBytes / 1048576);
  return receiveEvidence({
    uploadDir: config.uploadDir,
    ...config.uploads,
    minFreeBytes: config.limits.minFreeBytes,
    onStorageLow: (free) => {
      const detail =
        free === undefined
          ? `The disk of ${config.uploadDir} filled up while a file was being written.`
          : `${Math.round(free / 1048576)} MB free in ${config.uploadDir}, below the floor of ${floorMb} MB (UPLOAD_MIN_FREE_MB).`;
      void services.alerts.raise('storageLow', detail);
    },
  });
}

/**
 * A resident's share of uploads (#15 item 6): what `client` uploads counts against its day's quota;
 * false when these files would pass it.
 */
export async function withinClientQuota(
  services: { quotas: Quotas },
  config: Config,
  client: string,
  files: Express.Multer.File[],
): Promise<boolean> {
  const kilobytes = Math.ceil(files.reduce((sum, f) => sum + f.size, 0) / 1024);
  if (kilobytes === 0) return true;
  return services.quotas.take('upload', client, kilobytes, Math.floor(config.limits.clientBytesPerDay / 1024));
}

function problemOf(error: unknown): UploadProblem {
  if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return 'storageFull';
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return 'tooLarge';
    if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE') return 'tooMany';
  }
  return 'malformed';
}

export function uploadedFiles(req: Request): Express.Multer.File[] {
  return Array.isArray(req.files) ? req.files : [];
}

/** An upload problem as the evidence field's error, in the reader's language. */
export function uploadError(
  req: Request,
  problem: UploadProblem,
  limits: { maxFiles: number; maxBytes: number },
  name = '',
): { field: string; text: string } {
  const megabytes = Math.round(limits.maxBytes / 1048576);
  return {
    field: 'evidence',
    text: req.t(`complaint.evidence.problem.${problem}`, { name, max: limits.maxFiles, megabytes }),
  };
}

/**
 * Checks each received file by its content and keeps the good ones; one bad file refuses the
 * whole batch (nothing half-done), and every temporary file is gone afterwards.
 */
export async function acceptEvidence(
  evidence: EvidenceService,
  files: Express.Multer.File[],
  room: number,
): Promise<{ ok: true; stored: StoredEvidence[] } | { ok: false; problem: UploadProblem; name?: string }> {
  if (files.length > room) {
    await Promise.all(files.map((f) => dropTemporary(f.path)));
    return { ok: false, problem: 'tooMany' };
  }
  const stored: StoredEvidence[] = [];
  let failure: { problem: UploadProblem; name: string } | undefined;
  for (const file of files) {
    if (failure) {
      await dropTemporary(file.path);
      continue;
    }
    const result = await evidence.accept(file);
    if (result.ok) stored.push(result.file);
    else failure = { problem: result.reason, name: file.originalname };
  }
  if (!failure) return { ok: true, stored };
  await evidence.discard(stored.flatMap((s) => [s.storedName, s.viewingName]));
  return { ok: false, ...failure };
}

const dropTemporary = (file: string) => rm(file, { force: true });

/** Received files that will not be used (the form was refused before they were looked at). */
export async function dropTemporaries(files: Express.Multer.File[]): Promise<void> {
  await Promise.all(files.map((f) => dropTemporary(f.path)));
}
