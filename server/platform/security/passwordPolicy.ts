import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * R8 (after NIST SP 800-63B): at least 12 characters, up to 128 accepted, no composition rules;
 * refused when it is a common password (the 49,000 of zxcvbn-ts's list), one with digits or
 * symbols stuck on the end, a single repeated character, or the person's own email or name.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'personal';

export function passwordProblem(
  password: string,
  person: { email?: string; name?: string } = {},
): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'tooShort';
  if (length > PASSWORD_MAX) return 'tooLong';
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || COMMON.has(stem) || /^(.)\1*$/u.test(lower)) return 'common';
  const personal = [person.email?.split('@')[0], ...(person.name?.split(/\s+/) ?? [])]
    .map((part) => part?.toLowerCase() ?? '')
    .filter((part) => part.length >= 4);
  // A name with a few characters around it is guessed as easily as the name itself.
  if (personal.some((part) => lower.includes(part) && lower.replace(part, '').length < 6)) return 'personal';
  return undefined;
}
