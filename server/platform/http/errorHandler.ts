import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/errors.js';
import { TooManyFromClient } from '../../features/residents/intake.service.js';
import { HttpError, databaseUnavailable, notFound } from '../../domain/errors.js';
import type { Logger } from '../logger.js';

interface Problem {
  status: number;
  titleKey: string;
  bodyKey: string;
}

const BAD_REQUEST: Problem = { status: 400, titleKey: 'errors.badRequestTitle', bodyKey: 'errors.badRequestBody' };
const TOO_LARGE: Problem = { status: 413, titleKey: 'errors.tooLargeTitle', bodyKey: 'errors.tooLargeBody' };
const UNSUPPORTED: Problem = {
  status: 415,
  titleKey: 'errors.unsupportedTitle',
  bodyKey: 'errors.unsupportedBody',
};
const SERVER_ERROR: Problem = { status: 500, titleKey: 'errors.serverErrorTitle', bodyKey: 'errors.serverErrorBody' };

/** Out of disk for uploads: nothing was kept, and an admin must make room (#15 item 6). */
const STORAGE_FULL: Problem = {
  status: 507,
  titleKey: 'errors.storageFullTitle',
  bodyKey: 'errors.storageFullBody',
};

/** What an error means to the person who made the request. Expected failures are not 500s. */
function classify(error: unknown): Problem {
  if (error instanceof HttpError) return error;
  if (error instanceof TooManyFromClient) {
    return { status: 429, titleKey: 'errors.tooManyTitle', bodyKey: `errors.tooMany.${error.what}` };
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') return STORAGE_FULL;
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  // SQLSTATE class 22 (data exception: a malformed id, a value out of range) is the request's fault.
  if (sqlState(error)?.startsWith('22')) return BAD_REQUEST;
  const status = (error as { status?: unknown; statusCode?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return notFound();
    if (status === 413) return TOO_LARGE;
    if (status === 415) return UNSUPPORTED;
    return { ...BAD_REQUEST, status };
  }
  return SERVER_ERROR;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/** The one error path: a page (or JSON under /api) in the reader's language; a stack only in development. */
export function errorHandler(logger: Logger, development: boolean): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const problem = classify(error);
    const log = (req as Request & { log?: Logger }).log ?? logger;
    if (problem.status === 500) log.error({ err: describe(error) }, 'request failed');
    if (res.headersSent) return next(error);
    const requestId = String(req.id ?? '');
    res.status(problem.status);
    res.setHeader('Cache-Control', 'no-store');
    if (problem.status === 503) res.setHeader('Retry-After', '30');
    if (problem.status === 429) res.setHeader('Retry-After', '3600');
    const t = req.t;
    if (req.path.startsWith('/api/') || !t) {
      res.json({ error: { status: problem.status, message: t ? t(problem.titleKey) : problem.titleKey, requestId } });
      return;
    }
    const stack = development && problem.status >= 500 && error instanceof Error ? error.stack : undefined;
    res.render('pages/error.njk', { ...problem, requestId, stack }, (renderError: Error | null, html?: string) => {
      if (renderError) {
        log.error({ err: describe(renderError) }, 'error page failed to render');
        res.type('text/plain').send(t(problem.titleKey));
        return;
      }
      res.send(html);
    });
  };
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Only what helps find the bug. A database error's message and detail can quote the values of a
 * row (a name, a narrative), so for those only the SQLSTATE, constraint and routine are kept.
 */
function describe(error: unknown) {
  if (!(error instanceof Error)) return { message: 'non-error thrown' };
  const state = sqlState(error);
  if (state) {
    const { constraint, routine } = error as { constraint?: string; routine?: string };
    return { name: error.name, code: state, constraint, routine };
  }
  return { name: error.name, message: error.message, stack: error.stack };
}
