import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { EvidenceService, StoredEvidence } from '../services/evidence.service.js';

/** Why a multipart request's files were not taken: each becomes a field error, never a 500 (R19). */
export type UploadProblem = 'tooMany' | 'tooLarge' | 'malformed' | 'type' | 'empty';

declare module 'express-serve-static-core' {
  interface Request {
    uploadProblem?: UploadProblem;
  }
}

/**
 * Multipart bodies with up to `maxFiles` files in the field `evidence`, written to a private
 * incoming folder under server-made names; multer removes what it wrote when it gives up.
 */
export function receiveEvidence(options: { uploadDir: string; maxFiles: number; maxBytes: number }): RequestHandler {
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

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (error: unknown) => {
      if (error) {
        req.uploadProblem = problemOf(error);
        req.files = [];
        req.body ??= {};
      }
      next();
    });
  };
}

function problemOf(error: unknown): UploadProblem {
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
