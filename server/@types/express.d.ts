import type { Language, Translate } from '../platform/i18n.js';
import type { StaffUser } from '../domain/vocabulary.js';

declare global {
  namespace Express {
    interface Request {
      language: Language;
      t: Translate;
    }
    // passport's req.user: the signed-in member of staff, read fresh on every request.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends StaffUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Signed in with a password; waiting for the TOTP code of this user. */
    pendingSignIn: { userId: string; at: number };
    /** This session passed a second factor (needed for admin pages, R9). */
    secondFactor: boolean;
    /** A TOTP secret being enrolled, until the user confirms a code from it. */
    enrolling: string;
    /** Keeps a session for the sign-in form's CSRF token before anyone has signed in. */
    started: boolean;
    /** A one-time notice for the next page (a catalogue key). */
    flash: string;
    /** Officer rows validated from a CSV, shown for confirmation before they are written. */
    officerImport: unknown;
  }
}

export {};
