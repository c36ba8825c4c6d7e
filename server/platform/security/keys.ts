import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What each key is for; each is derived (HKDF) from the secrets of its group, never shared between uses. */
export const PURPOSES = {
  accessCode: 'access-code',
  submission: 'submission-token',
  caseSession: 'case-session',
  csrf: 'csrf',
  client: 'client-address',
  /** Staff secrets: the session id's hash, TOTP secrets at rest, password links, API tokens. */
  session: 'staff-session',
  totp: 'totp-secret',
  passwordLink: 'password-link',
  apiToken: 'api-token',
  /** Closing-survey links. */
  surveyToken: 'survey-token',
  /** Community trust survey ballots: a browser's one-time token, kept only as this keyed hash. */
  trustBallot: 'trust-ballot',
} as const;

export type Purpose = keyof typeof PURPOSES;

/**
 * The configured secrets, by group, each a ring: the first signs and hashes anything new, the ones
 * after it still verify and find what they made (#15 item 15). A group without secrets of its own
 * uses the session secrets, as every key did before the groups were separated.
 */
export interface Secrets {
  /** SESSION_SECRET: staff sessions, form tokens, residents' case passes, client buckets. */
  session: readonly string[];
  /** ACCESS_CODE_SECRET: residents' access codes and submission keys. */
  accessCode?: readonly string[] | undefined;
  /** TOKEN_SECRET: API tokens, password links, TOTP secrets at rest. */
  token?: readonly string[] | undefined;
  /** SURVEY_SECRET: closing-survey links, community survey ballots. */
  survey?: readonly string[] | undefined;
}

export type SecretGroup = keyof Secrets;

const GROUP_OF: Record<Purpose, SecretGroup> = {
  accessCode: 'accessCode',
  submission: 'accessCode',
  caseSession: 'session',
  csrf: 'session',
  client: 'session',
  session: 'session',
  totp: 'token',
  passwordLink: 'token',
  apiToken: 'token',
  surveyToken: 'survey',
  trustBallot: 'survey',
};

/** The current key of each purpose, and its ring (current first, then older keys that still verify). */
export type Keys = Record<Purpose, Buffer> & { readonly rings: Record<Purpose, readonly Buffer[]> };

export function deriveKeys(secrets: Secrets | string): Keys {
  const configured: Secrets = typeof secrets === 'string' ? { session: [secrets] } : secrets;
  const key = (secret: string, purpose: Purpose) =>
    Buffer.from(hkdfSync('sha256', secret, 'civilian-oversight', PURPOSES[purpose], 32));
  const rings = {} as Record<Purpose, readonly Buffer[]>;
  for (const purpose of Object.keys(PURPOSES) as Purpose[]) {
    const own = configured[GROUP_OF[purpose]] ?? [];
    // After a group's own secrets, the session secrets: what was made before the groups were
    // separated still verifies.
    const all = [...own, ...configured.session].filter((value, i, list) => list.indexOf(value) === i);
    rings[purpose] = all.map((secret) => key(secret, purpose));
  }
  const current = Object.fromEntries(Object.entries(rings).map(([purpose, ring]) => [purpose, ring[0]!]));
  return { ...(current as Record<Purpose, Buffer>), rings };
}

/** The keyed hash of a value under every key of a ring, current first: to find what an older key made. */
export function hmacHexAll(ring: readonly Buffer[], value: string | Buffer): string[] {
  return ring.map((key) => hmacHex(key, value));
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
