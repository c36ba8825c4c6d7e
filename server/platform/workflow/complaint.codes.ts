import { randomBytes, randomInt } from 'node:crypto';
import { hmac, hmacHex, sameSecret } from '../security/keys.js';

/**
 * Tracking numbers and access codes, written in 30 characters that cannot be misread or misheard
 * (no 0/O, 1/I/L, U/V pairs): 'OC-7K4P-9Q2M'.
 */
export const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const ACCESS_CODE_LENGTH = 16; // 16 × log2(30) ≈ 78.5 bits, above the 64 of R16

/** A random, non-sequential tracking number (about 39 bits; the caller retries on a collision). */
export function newTrackingNumber(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `OC-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a resident typed, in the stored form: capitals, separators in their places. */
export function normaliseTrackingNumber(input: string): string {
  const bare = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const body = bare.startsWith('OC') ? bare.slice(2) : bare;
  return body.length === 8 ? `OC-${body.slice(0, 4)}-${body.slice(4)}` : input.trim().toUpperCase();
}

/** 16 characters from a 256-bit value; the modulo bias over 30 is far below one part in 2^200. */
function encode(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let code = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) {
    code += ALPHABET[Number(n % 30n)];
    n /= 30n;
  }
  return code.match(/.{4}/g)!.join('-');
}

export function randomAccessCode(): string {
  return encode(randomBytes(32));
}

/**
 * The access code of a submission, derived from the secret only the resident's browser holds (or
 * the API client's idempotency key): a repeated submission can show the same code again, while
 * the database keeps only its keyed hash.
 */
export function accessCodeFor(key: Buffer, submissionSecret: string): string {
  return encode(hmac(key, `derive:${submissionSecret}`));
}

export function normaliseAccessCode(input: string): string {
  const bare = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return bare.match(/.{1,4}/g)?.join('-') ?? '';
}

/** An access code is high-entropy, so a keyed hash (HMAC) is enough; a slow hash would only slow lookups. */
export function hashAccessCode(key: Buffer, code: string): string {
  return `h1:${hmacHex(key, `verify:${normaliseAccessCode(code)}`)}`;
}

/**
 * Compares in constant time; an absent hash is compared against a stand-in, so both take as long.
 * With a ring of keys (a rotation), every key is tried, so the time does not tell which matched.
 */
export function accessCodeMatches(
  keys: Buffer | readonly Buffer[],
  code: string,
  storedHash: string | undefined,
): boolean {
  const against = storedHash ?? `h1:${'0'.repeat(64)}`;
  let matched = false;
  for (const key of Array.isArray(keys) ? keys : [keys as Buffer]) {
    matched = sameSecret(hashAccessCode(key, code), against) || matched;
  }
  return matched && storedHash !== undefined;
}

/**
 * The access code a submission secret yields, under the key of the ring that made `storedHash`
 * (a repeated submission after a rotation shows the code the resident was given, not a new one).
 */
export function accessCodeOf(ring: readonly Buffer[], submissionSecret: string, storedHash: string | null): string {
  for (const key of ring) {
    const code = accessCodeFor(key, submissionSecret);
    if (storedHash && accessCodeMatches(key, code, storedHash)) return code;
  }
  return accessCodeFor(ring[0]!, submissionSecret);
}
