import { sendProblem } from '../../platform/http/errorHandler.js';
import type { Request, RequestHandler, Response } from 'express';
import { notFound } from '../../domain/errors.js';
import type { ApiTokenService, TokenCheck, TokenViewer } from './apiToken.service.js';

const BEARER = /^Bearer +([^\s]{1,200}) *$/i;
const VIEWER = 'apiViewer';
const CHECK = 'apiTokenCheck';

type Tokens = Pick<ApiTokenService, 'authenticate' | 'recall'>;

/**
 * The staff API's sign-in: `Authorization: Bearer <token>` on every request. A missing, malformed,
 * unknown, revoked or expired token, or one whose user is disabled, gets the same 401. No session or form
 * token is involved: a browser never sends a bearer token by itself, so there is no CSRF to stop.
 *
 * With `recall` (a hot read that goes through readForBearer), a token this process authenticated
 * in the last minute is not looked up first: the read's own statement checks it (#18).
 */
export function bearerAuth(apiTokens: Tokens, options: { recall?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const presented = presentedToken(req);
    const recalled = options.recall && presented ? apiTokens.recall(presented) : undefined;
    if (recalled) {
      res.locals[VIEWER] = recalled.viewer;
      res.locals[CHECK] = recalled.check;
      return next();
    }
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

/**
 * Runs a read for the request's token. A recalled token's read gets the check its statement must
 * carry, and answers undefined when the check failed (nothing was read): the token is then looked
 * up afresh, and the read runs again with the user's roles of the moment, or the answer is 401.
 */
export async function readForBearer<T>(
  apiTokens: Tokens,
  req: Request,
  res: Response,
  read: (viewer: TokenViewer, check?: TokenCheck) => Promise<T | undefined>,
): Promise<T | undefined> {
  const check = res.locals[CHECK] as TokenCheck | undefined;
  const result = await read(apiViewer(res), check);
  if (result !== undefined || !check) return result;
  return (await confirmBearer(apiTokens, req, res)) ? read(apiViewer(res)) : undefined;
}

/**
 * Looks a recalled token up before an answer that reads nothing (a refused query), so that such a
 * token still gets 401 first, like any other. False when it did, and 401 was sent.
 */
export async function confirmBearer(apiTokens: Tokens, req: Request, res: Response): Promise<boolean> {
  if (res.locals[CHECK] === undefined) return true;
  delete res.locals[CHECK];
  const viewer = await apiTokens.authenticate(presentedToken(req) ?? '');
  if (!viewer) {
    refuse(req, res, true);
    return false;
  }
  res.locals[VIEWER] = viewer;
  return true;
}

function presentedToken(req: Request): string | undefined {
  return BEARER.exec(req.get('Authorization') ?? '')?.[1];
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
