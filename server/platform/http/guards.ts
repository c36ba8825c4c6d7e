import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { formExpired, notFound } from '../../domain/errors.js';
import type { Viewer } from '../../domain/vocabulary.js';
import type { Role } from '../../domain/vocabulary.js';
import type { StaffUser } from '../../features/accounts/auth.service.js';
import { hmac, sameSecret, type Keys } from '../security/keys.js';

/**
 * The roles this session may use now. Admin needs a second factor (R9): an admin who has not
 * passed one in this session works with their other roles until they do.
 */
export function rolesOf(req: Request): Role[] {
  const user = req.user;
  if (!user) return [];
  return user.roles.filter((role) => role !== 'admin' || req.session.secondFactor === true);
}

export function hasRole(req: Request, ...roles: Role[]): boolean {
  return rolesOf(req).some((role) => roles.includes(role));
}

/** Who is asking, for the object-level checks of services and repositories (R14). */
export function viewerOf(req: Request): Viewer {
  return { userId: staffUser(req).id, roles: rolesOf(req) };
}

/** The signed-in user of a route behind requireUser. */
export function staffUser(req: Request): StaffUser {
  if (!req.user) throw notFound();
  return req.user;
}

/** A page for signed-in staff only; anyone else goes to the sign-in page, and comes back after. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (!req.user) {
    const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/staff/sign-in${back}`);
    return;
  }
  const roles = rolesOf(req);
  res.locals['staff'] = {
    user: req.user,
    roles,
    adminNeedsCode: needsSecondFactor(req),
    nav: NAV.filter((item) => item.roles === 'all' || item.roles.some((role) => roles.includes(role))),
  };
  next();
};

/** The staff menu: each area for the roles that work in it (the routes check again). */
const NAV: ReadonlyArray<{ key: string; href: string; roles: readonly Role[] | 'all' }> = [
  { key: 'cases', href: '/staff/cases', roles: ['intake', 'investigator', 'supervisor', 'board'] },
  { key: 'officers', href: '/staff/officers', roles: ['intake', 'investigator', 'supervisor'] },
  { key: 'board', href: '/staff/board', roles: ['board', 'supervisor', 'admin'] },
  { key: 'admin', href: '/staff/admin', roles: ['admin'] },
  { key: 'account', href: '/staff/account', roles: 'all' },
];

function needsSecondFactor(req: Request): boolean {
  return req.user?.roles.includes('admin') === true && req.session.secondFactor !== true;
}

/** One of these roles, or the page does not exist for this user (404, as for any other's object: R14). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasRole(req, ...roles)) return next();
    if (roles.includes('admin') && needsSecondFactor(req)) return res.redirect(303, '/staff/account/two-factor');
    return next(notFound());
  };
}

/** R13: a form token bound to this session; a page of another site cannot know it. */
export function staffCsrfToken(keys: Keys, sessionId: string): string {
  return hmac(keys.csrf, `staff:${sessionId}`).toString('base64url');
}

export function checkCsrf(keys: Keys, req: Request): void {
  const submitted: unknown = (req.body as Record<string, unknown> | undefined)?.['_csrf'];
  // Any key of the ring: a page loaded just before a rotation can still be sent.
  const binding = `staff:${req.sessionID}`;
  const valid =
    typeof submitted === 'string' &&
    keys.rings.csrf.some((key) => sameSecret(submitted, hmac(key, binding).toString('base64url')));
  if (!valid) throw formExpired();
}

/**
 * Every staff POST carries the session's token. Uploads are checked by their own route once the
 * multipart body is read; any other multipart POST is refused.
 */
export function staffCsrf(keys: Keys, uploadPaths: RegExp): RequestHandler {
  return (req, res, next) => {
    res.locals['csrf'] = staffCsrfToken(keys, req.sessionID);
    if (req.method !== 'POST') return next();
    if (req.is('multipart/form-data')) return uploadPaths.test(req.path) ? next() : next(formExpired());
    checkCsrf(keys, req);
    next();
  };
}
