import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import session, { Store, type SessionData } from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService } from './auth.service.js';
import { SESSION_IDLE_MS, type SessionService } from './session.service.js';

export const STAFF_COOKIE = 'oc_staff';

/** What the local strategy says when it does not sign someone in. */
export type SignInInfo = { message: 'needsCode'; userId: string } | { message: 'refused' };

/** express-session's store on the sessions table, through the session service (same code on both databases). */
class DatabaseStore extends Store {
  constructor(private readonly sessions: SessionService) {
    super();
  }
  override get(id: string, done: (err: unknown, data?: SessionData | null) => void) {
    this.sessions.get(id).then((data) => done(null, (data as SessionData | undefined) ?? null), done);
  }
  override set(id: string, data: SessionData, done?: (err?: unknown) => void) {
    const userId = (data as { passport?: { user?: string } }).passport?.user ?? null;
    this.sessions.set(id, data as unknown as Record<string, unknown>, userId).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
  override touch(id: string, _data: SessionData, done?: (err?: unknown) => void) {
    this.sessions.touch(id).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
  override destroy(id: string, done?: (err?: unknown) => void) {
    this.sessions.destroy(id).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
}

/**
 * express-session saves a changed session while the response ends, but a browser follows a
 * redirect as soon as it has the headers, and could ask for the next page before the session (a
 * sign-in, a notice) is stored. So a redirect waits for the save. A session holding nothing but its
 * cookie is not saved, so anonymous visitors leave no rows behind.
 */
function saveBeforeRedirect(req: Request, res: Response, next: NextFunction) {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const held = req.session && Object.keys(req.session).some((key) => key !== 'cookie');
    if (!held) return redirect(...args);
    req.session.save((error) => (error ? next(error) : redirect(...args)));
  }) as Response['redirect'];
  next();
}

/**
 * Staff sessions (R11, R12): a 256-bit random id in an HttpOnly, SameSite=Lax cookie (Secure in
 * production) for /staff only, stored server-side, renewed on each request for 30 idle minutes.
 * passport reads the user afresh on every request, so a disabled user or a removed role counts at once.
 */
export function setUpStaffSession(deps: {
  sessions: SessionService;
  auth: AuthService;
  /** Signs the session cookie: the first secret signs, the others (a rotation) still verify. */
  secret: readonly string[];
  secure: boolean;
}) {
  const passport = new Passport();
  passport.serializeUser<string>((user, done) => done(null, user.id));
  passport.deserializeUser<string>((id, done) => {
    deps.auth.principal(id).then((user) => done(null, user ?? false), done);
  });
  // passport-local checks the password through the auth service; a user with TOTP comes back as
  // `needsCode` (not signed in yet), anything else refused gets one and the same answer (R10).
  passport.use(
    new LocalStrategy({ usernameField: 'email', passReqToCallback: true }, (req, email, password, done) => {
      deps.auth
        .signIn({
          email: email.slice(0, 254),
          password: password.slice(0, 1024),
          client: req.ip ?? '',
          requestId: String(req.id),
        })
        .then((result) => {
          if (result.kind === 'signedIn') return done(null, result.user);
          const info: SignInInfo =
            result.kind === 'needsCode' ? { message: 'needsCode', userId: result.userId } : { message: 'refused' };
          return done(null, false, info);
        }, done);
    }),
  );

  const router = Router();
  router.use(
    session({
      name: STAFF_COOKIE,
      secret: [...deps.secret],
      store: new DatabaseStore(deps.sessions),
      genid: () => randomBytes(32).toString('base64url'),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      // A session that failed to load (the database busy) leaves req.session unset: with 'destroy' the
      // person was signed out by a moment's overload. Sign-out destroys the session itself.
      unset: 'keep',
      cookie: { path: '/staff', httpOnly: true, sameSite: 'lax', secure: deps.secure, maxAge: SESSION_IDLE_MS },
    }),
  );
  router.use(saveBeforeRedirect);
  router.use(passport.initialize());
  router.use(passport.session());
  return { router, passport };
}
