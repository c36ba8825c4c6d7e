import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { formExpired, notFound } from '../../domain/errors.js';
import { NAVIGATION, may, needsSecondFactor, type Permission } from '../../domain/policy.js';
import type { Role, StaffUser, Viewer } from '../../domain/vocabulary.js';
import { hmac, sameSecret, type Keys } from '../security/keys.js';

/**
 * The roles this session may use now. Admin needs a second factor (R9): an admin who has not
 * passed one in this session works with their other roles until they do.
 */
export function rolesOf(req: Request): Role[] {
  const user = req.user;
  if (!user) return [];
  return user.roles.filter((role) => !needsSecondFactor(role) || req.session.secondFactor === true);
}

/** Whether this session may do this now (the access policy, with the roles usable now). */
export function allowed(req: Request, permission: Permission): boolean {
  return may(rolesOf(req), permission);
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
    adminNeedsCode: waitsForSecondFactor(req),
    nav: NAVIGATION.filter((item) => !item.permission || may(roles, item.permission)),
  };
  next();
};

/** A role this user holds but may not use until they pass a second factor in this session. */
export function waitsForSecondFactor(req: Request): boolean {
  return req.session.secondFactor !== true && (req.user?.roles ?? []).some(needsSecondFactor);
}

/**
 * Allowed by the access policy, or the page does not exist for this user (404, as for any other's
 * object: R14). Someone who would be allowed after a second factor is sent to pass one.
 */
export function requirePermission(permission: Permission): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (allowed(req, permission)) return next();
    if (waitsForSecondFactor(req) && may(req.user?.roles ?? [], permission)) {
      return res.redirect(303, '/staff/account/two-factor');
    }
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
