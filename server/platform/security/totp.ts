import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 codes (otpauth): six digits, 30-second steps, one step of clock drift either way. */
const PERIOD = 30;

function totpOf(base32: string, label = '', issuer = ''): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(base32), digits: 6, period: PERIOD });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The time step a code belongs to, or undefined when it is not valid now. The caller records the
 * step so that the same code cannot be used twice (R9).
 */
export function totpStep(base32: string, code: string, now: Date): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = totpOf(base32);
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : totp.counter({ timestamp: now.getTime() }) + delta;
}

export function totpCode(base32: string, now: Date): string {
  return totpOf(base32).generate({ timestamp: now.getTime() });
}

/** The enrolment: the key URI an authenticator app reads, as a QR code (SVG) and as text. */
export async function enrolment(base32: string, account: string, issuer: string) {
  const uri = totpOf(base32, account, issuer).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { uri, qrSvg, secretGroups: base32.match(/.{1,4}/g)!.join(' ') };
}

/** The secret at rest: AES-256-GCM under a key derived for this purpose, so a database copy alone is not enough. */
export function sealSecret(key: Buffer, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
    '.',
  );
}

export function openSecret(key: Buffer, sealed: string): string | undefined {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
