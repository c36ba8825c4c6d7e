import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../../domain/errors.js';

// Form posts carry at most a 20,000-character narrative (up to ~120 kB URL-encoded in Spanish).
const FORM_LIMIT = '256kb';

/** An HTTP error the error handler answers with its status (4xx). */
const httpError = (status: number, message: string) => Object.assign(new Error(message), { status, expose: true });

/** JSON is UTF-8 (RFC 8259): a body declared in another charset is 415, never decoded from it. */
function jsonIsUtf8(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) return next();
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(httpError(415, `unsupported charset ${charset}`));
  }
  next();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes that are not UTF-8 are refused (400) rather than read with replacement characters. */
function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  try {
    utf8.decode(body);
  } catch {
    throw httpError(400, 'body is not valid UTF-8');
  }
}

/** Whether a parsed body holds the character NUL anywhere (PostgreSQL text cannot store it). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner, depth + 1));
}

/** No text of ours can hold NUL: refused with its own message, before any schema or the database sees it. */
function refuseNul(req: Request, _res: Response, next: NextFunction): void {
  next(holdsNul(req.body) ? new DomainError('invalid', { bodyKey: 'errors.nulBody' }) : undefined);
}

/** Form and JSON bodies, each within its limit, in UTF-8 and without NUL. */
export function setUpBodyParsing(): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 }),
    jsonIsUtf8,
    express.json({ limit: FORM_LIMIT, verify: requireUtf8 }),
    refuseNul,
  ];
}
