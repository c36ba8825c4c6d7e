import { z } from 'zod';
import { PASSWORD_MAX } from '../../platform/security/passwordPolicy.js';

/** Staff sign-in and account forms (R18: strict, every length capped). */

export const signIn = z.strictObject({
  email: z.string().trim().min(1, { error: 'staff.signIn.emailRequired' }).max(254),
  password: z.string().min(1, { error: 'staff.signIn.passwordRequired' }).max(1024),
  next: z.string().max(500).optional(),
});

export const signInCode = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{3} ?\d{3}$/, { error: 'staff.code.format' }),
  next: z.string().max(500).optional(),
});

/** A new password: its rules (R8) are checked by the password policy, which names the problem. */
const newPassword = z
  .string()
  .min(1, { error: 'validation.required' })
  .max(PASSWORD_MAX * 4);

export const passwordLinkForm = z
  .strictObject({ password: newPassword, confirm: z.string().max(PASSWORD_MAX * 4) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'staff.password.mismatch' });

export const changePassword = z
  .strictObject({
    current: z.string().min(1).max(1024),
    password: newPassword,
    confirm: z.string().max(PASSWORD_MAX * 4),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'staff.password.mismatch' });

/** Only a path inside the staff area may be the page to return to after signing in. */
export function safeNext(next: string | undefined): string {
  return next && /^\/staff\/[\w\-/?=&%.]*$/.test(next) && !next.startsWith('/staff/sign-') ? next : '/staff';
}
