import { sendProblem } from '../../platform/http/errorHandler.js';
import type { Request, RequestHandler, Response } from 'express';
import { notFound } from '../../domain/errors.js';
import type { ApiTokenService, TokenViewer } from './apiToken.service.js';

const BEARER = /^Bearer +([^\s]{1,200}) *$/i;
const VIEWER = 'apiViewer';

/**
 * The staff API's sign-in: `Authorization: Bearer <token>` on every request. A missing, malformed,
 * unknown, revoked or expired token, or one whose user is disabled, gets the same 401. No session or form
 * token is involved: a browser never sends a bearer token by itself, so there is no CSRF to stop.
 */
export function bearerAuth(apiTokens: Pick<ApiTokenService, 'authenticate'>): RequestHandler {
  return async (req, res, next) => {
    const presented = BEARER.exec(req.get('Authorization') ?? '')?.[1];
    const viewer = presented ? await apiTokens.authenticate(presented) : undefined;
    if (!viewer) return refuse(req, res, presented !== undefined);
    res.locals[VIEWER] = viewer;
    next();
  };
}

/** Who the request's token acts for (behind bearerAuth). */
export function apiViewer(res: Response): TokenViewer {
  const viewer = res.locals[VIEWER] as TokenViewer | undefined;
  if (!viewer) throw notFound();
  return viewer;
}

function refuse(req: Request, res: Response, presented: boolean): void {
  // RFC 6750: no error code when no credentials came; invalid_token for any that did not work.
  res.setHeader(
    'WWW-Authenticate',
    presented ? 'Bearer realm="staff-api", error="invalid_token"' : 'Bearer realm="staff-api"',
  );
  sendProblem(req, res, {
    status: 401,
    code: 'unauthorized',
    titleKey: 'apiTokens.api.unauthorized',
    bodyKey: 'apiTokens.api.unauthorized',
  });
}
