import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Logger } from '../logger.js';
import { classify, describeError, type Problem } from './problems.js';

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/** A field's message, in the reader's language, for a JSON problem. */
export interface FieldMessage {
  field: string;
  text: string;
}

/**
 * The one JSON problem shape of every /api answer: `{ error: { status, code, message, requestId,
 * errors? } }`, `errors` listing the fields at fault.
 */
export function sendProblem(req: Request, res: Response, problem: Problem, errors?: FieldMessage[]) {
  const t = req.t;
  // A program reading a conflict needs to know both causes: a stale version, or a step not possible now.
  const messageKey = problem.messageKey ?? (problem.code === 'conflict' ? 'errors.apiConflict' : problem.titleKey);
  const fields =
    errors ?? (problem.field ? [{ field: problem.field, text: t ? t(messageKey) : messageKey }] : undefined);
  return res.status(problem.status).json({
    error: {
      status: problem.status,
      code: problem.code,
      message: t ? t(messageKey) : messageKey,
      requestId: String(req.id ?? ''),
      ...(fields ? { errors: fields.map((e) => ({ field: e.field, message: e.text })) } : {}),
    },
  });
}

/** The one error path: a page (or JSON under /api) in the reader's language; a stack only in development. */
export function errorHandler(logger: Logger, development: boolean): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const problem = classify(error);
    const log = (req as Request & { log?: Logger }).log ?? logger;
    if (problem.status === 500) log.error({ err: describeError(error) }, 'request failed');
    if (error instanceof DomainError && error.details.alert)
      log.error(error.details.context ?? {}, error.details.alert);
    if (res.headersSent) return next(error);
    const requestId = String(req.id ?? '');
    res.setHeader('Cache-Control', 'no-store');
    if (problem.status === 503) res.setHeader('Retry-After', '30');
    if (problem.status === 429) res.setHeader('Retry-After', '3600');
    const t = req.t;
    if (req.path.startsWith('/api/') || !t) return void sendProblem(req, res, problem);
    res.status(problem.status);
    const stack = development && problem.status >= 500 ? describeError(error).stack : undefined;
    const { titleKey, bodyKey, status } = problem;
    res.render('pages/error.njk', { status, titleKey, bodyKey, requestId, stack }, (renderError, html?: string) => {
      if (renderError) {
        log.error({ err: describeError(renderError) }, 'error page failed to render');
        res.type('text/plain').send(t(problem.titleKey));
        return;
      }
      res.send(html);
    });
  };
}
