import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { hmac, sameSecret, type Keys } from '../../platform/security/keys.js';

/**
 * Residents have no account. Two cookies stand in for a session, each for one purpose and path:
 * the draft secret of a complaint form in progress (its hash keys the draft on the server), and,
 * after a status lookup, a signed, short-lived pass to that one case.
 */
export const DRAFT_COOKIE = 'oc_draft';
export const CASE_COOKIE = 'oc_case';
export const CASE_SESSION_MS = 15 * 60 * 1000;
/** A note, not a session: a case page found no pass, so the lookup form says the look-up has ended (#17). */
export const PASS_ENDED_COOKIE = 'oc_pass_ended';

export function readCookie(req: Request, name: string): string | undefined {
  const value = parseCookies(req.headers.cookie ?? '')[name];
  return value && value.length <= 200 ? value : undefined;
}

export function setCookie(
  res: Response,
  name: string,
  value: string,
  options: { path: string; secure: boolean; maxAgeMs?: number },
) {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: options.path,
    ...(options.maxAgeMs === undefined ? {} : { maxAge: options.maxAgeMs }),
  });
}

export function clearCookie(res: Response, name: string, path: string) {
  res.clearCookie(name, { path, httpOnly: true, sameSite: 'lax' });
}

/** `<case id>.<expiry ms>.<signature>`: nothing to store, and useless after 15 minutes. */
export function issueCaseToken(keys: Keys, complaintId: string, now: Date): string {
  const body = `${complaintId}.${now.getTime() + CASE_SESSION_MS}`;
  return `${body}.${hmac(keys.caseSession, body).toString('base64url')}`;
}

export function verifyCaseToken(keys: Keys, token: string | undefined, now: Date): string | undefined {
  const [id, expires, signature] = token?.split('.') ?? [];
  if (!id || !expires || !signature) return undefined;
  const body = `${id}.${expires}`;
  // Any key of the ring: a pass made just before a rotation still works for its 15 minutes.
  const signed = keys.rings.caseSession.some((key) => sameSecret(signature, hmac(key, body).toString('base64url')));
  if (!signed) return undefined;
  return Number(expires) > now.getTime() ? id : undefined;
}

/** A form token bound to the resident's draft or case pass: a page of another site cannot make one (R13). */
export function csrfToken(keys: Keys, binding: string): string {
  return hmac(keys.csrf, binding).toString('base64url');
}

export function csrfValid(keys: Keys, binding: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  return keys.rings.csrf.some((key) => sameSecret(submitted, hmac(key, binding).toString('base64url')));
}
