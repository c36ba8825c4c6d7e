import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Keys for the app's secrets, each derived from SESSION_SECRET for one purpose only, so
 * a value made for one use (a form token) can never pass for another (an access code).
 */
export interface Keys {
  accessCode: Buffer;
  submission: Buffer;
  caseSession: Buffer;
  csrf: Buffer;
  client: Buffer;
  /** Staff secrets: the session id's hash, TOTP secrets at rest, password links, API tokens. */
  session: Buffer;
  totp: Buffer;
  passwordLink: Buffer;
  apiToken: Buffer;
  /** Closing-survey links. */
  surveyToken: Buffer;
}

export function deriveKeys(secret: string): Keys {
  const key = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'civilian-oversight', purpose, 32));
  return {
    accessCode: key('access-code'),
    submission: key('submission-token'),
    caseSession: key('case-session'),
    csrf: key('csrf'),
    client: key('client-address'),
    session: key('staff-session'),
    totp: key('totp-secret'),
    passwordLink: key('password-link'),
    apiToken: key('api-token'),
    surveyToken: key('survey-token'),
  };
}

export function hmac(key: Buffer, value: string | Buffer): Buffer {
  return createHmac('sha256', key).update(value).digest();
}

export function hmacHex(key: Buffer, value: string | Buffer): string {
  return hmac(key, value).toString('hex');
}

/** Constant-time comparison of two strings of any length. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
