import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Passport } from 'passport';
import type { SignInInfo } from './setUpStaffSession.js';
import { STAFF_COOKIE } from './setUpStaffSession.js';
import { passwordLinkForm, safeNext, signIn, signInCode } from './staff.schemas.js';
import type { Services } from '../../compose.js';
import type { StaffUser } from './auth.service.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../platform/security/passwordPolicy.js';

/** A code must follow its password within five minutes. */
const PENDING_MS = 5 * 60 * 1000;

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'auth'>;

/** Signing in (password, then a TOTP code for those who have one), signing out, and password links. */
export function signInRoutes(services: Deps, passport: InstanceType<typeof Passport>): Router {
  const router = Router();
  const { auth } = services;

  const render = (res: Response, view: string, status: number, locals: object) =>
    res.status(status).render(`staff/${view}.njk`, { errors: [], fieldError: {}, values: {}, ...locals });
  const withErrors = (errors: FieldError[]) => ({ errors, fieldError: byField(errors) });

  /** passport's req.logIn, which regenerates the session id (R11), as a promise. */
  const logIn = (req: Request, user: StaffUser) =>
    new Promise<void>((resolve, reject) => req.logIn(user, (error) => (error ? reject(error) : resolve())));
  const regenerate = (req: Request) =>
    new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));

  router.get('/sign-in', (req, res) => {
    if (req.user) return res.redirect(303, safeNext(String(req.query['next'] ?? '')));
    req.session.started = true;
    const notice =
      req.query['signedOut'] === '1'
        ? 'staff.signIn.signedOut'
        : req.query['passwordSet'] === '1'
          ? 'staff.password.set'
          : undefined;
    return render(res, 'sign-in', 200, { values: { next: String(req.query['next'] ?? '').slice(0, 500) }, notice });
  });

  router.post('/sign-in', (req: Request, res: Response, next: NextFunction) => {
    const fields = answerFields(req.body);
    const parsed = signIn.safeParse(fields);
    if (!parsed.success)
      return render(res, 'sign-in', 400, {
        ...withErrors(fieldErrors(parsed.error, req.t)),
        values: { email: fields['email'], next: fields['next'] },
      });
    const target = safeNext(parsed.data.next);
    const authenticate = passport.authenticate(
      'local',
      (error: unknown, user: StaffUser | false, info?: SignInInfo) => {
        if (error) return next(error);
        const done = async () => {
          if (user) {
            await logIn(req, user);
            return res.redirect(303, target);
          }
          if (info?.message === 'needsCode') {
            await regenerate(req);
            req.session.pendingSignIn = { userId: info.userId, at: Date.now() };
            return res.redirect(303, `/staff/sign-in/code?next=${encodeURIComponent(target)}`);
          }
          req.session.started = true;
          return render(res, 'sign-in', 401, {
            ...withErrors([{ field: 'email', text: req.t('staff.signIn.refused') }]),
            values: { email: parsed.data.email, next: parsed.data.next },
          });
        };
        done().catch(next);
      },
    ) as (req: Request, res: Response, next: NextFunction) => void;
    return authenticate(req, res, next);
  });

  const pending = (req: Request) => {
    const p = req.session.pendingSignIn;
    return p && Date.now() - p.at < PENDING_MS ? p : undefined;
  };

  router.get('/sign-in/code', (req, res) => {
    if (!pending(req)) return res.redirect(303, '/staff/sign-in');
    return render(res, 'sign-in-code', 200, { values: { next: String(req.query['next'] ?? '').slice(0, 500) } });
  });

  router.post('/sign-in/code', async (req, res) => {
    const waiting = pending(req);
    if (!waiting) return res.redirect(303, '/staff/sign-in');
    const fields = answerFields(req.body);
    const parsed = signInCode.safeParse(fields);
    const refused = (errors: FieldError[]) =>
      render(res, 'sign-in-code', 401, { ...withErrors(errors), values: { next: fields['next'] } });
    if (!parsed.success) return refused(fieldErrors(parsed.error, req.t));
    const user = await auth.checkCode({
      userId: waiting.userId,
      code: parsed.data.code,
      client: req.ip ?? '',
      requestId: String(req.id),
    });
    if (!user) return refused([{ field: 'code', text: req.t('staff.code.refused') }]);
    await logIn(req, user);
    req.session.secondFactor = true;
    return res.redirect(303, safeNext(parsed.data.next));
  });

  router.post('/sign-out', async (req, res) => {
    if (req.user) await auth.signedOut(req.user.id, String(req.id));
    // The session row is deleted on the server (R12), not only forgotten by the browser.
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    res.clearCookie(STAFF_COOKIE, { path: '/staff' });
    res.redirect(303, '/staff/sign-in?signedOut=1');
  });

  router.get('/password/:token', async (req, res) => {
    const user = await auth.passwordLinkUser(req.params.token);
    if (!user) return render(res, 'password-link-expired', 410, {});
    req.session.started = true;
    return render(res, 'password-link', 200, { email: user.email });
  });

  router.post('/password/:token', async (req, res) => {
    const fields = answerFields(req.body);
    const parsed = passwordLinkForm.safeParse(fields);
    const again = async (errors: FieldError[]) => {
      const user = await auth.passwordLinkUser(req.params.token);
      if (!user) return render(res, 'password-link-expired', 410, {});
      return render(res, 'password-link', 400, { ...withErrors(errors), email: user.email });
    };
    if (!parsed.success) return again(fieldErrors(parsed.error, req.t));
    const problem = await auth.usePasswordLink(req.params.token, parsed.data.password, String(req.id));
    if (problem === 'expired') return render(res, 'password-link-expired', 410, {});
    if (problem)
      return again([
        { field: 'password', text: req.t(`staff.password.${problem}`, { min: PASSWORD_MIN, max: PASSWORD_MAX }) },
      ]);
    return res.redirect(303, '/staff/sign-in?passwordSet=1');
  });

  return router;
}
