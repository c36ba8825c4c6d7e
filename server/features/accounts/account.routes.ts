import { Router, type Response } from 'express';
import { changePassword, signInCode } from './staff.schemas.js';
import type { Services } from '../../compose.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../platform/security/passwordPolicy.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { staffUser } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'auth'>;

/** A member of staff's own account: their roles, the TOTP second factor (R9) and their password. */
export function accountRoutes(services: Deps): Router {
  const router = Router();
  const { auth } = services;
  const render = (res: Response, view: string, status: number, locals: object) =>
    res
      .status(status)
      .render(`staff/${view}.njk`, { navCurrent: 'account', errors: [], fieldError: {}, values: {}, ...locals });
  const withErrors = (errors: FieldError[]) => ({ errors, fieldError: byField(errors) });

  router.get('/account', (req, res) => render(res, 'account', 200, { user: staffUser(req) }));

  router.get('/account/two-factor', async (req, res) => {
    const user = staffUser(req);
    if (user.totpEnrolled) return render(res, 'two-factor', 200, { enrolled: true });
    req.session.enrolling ??= (await auth.startEnrolment(user)).secret;
    return render(res, 'two-factor', 200, { enrolment: await auth.enrolmentPicture(user, req.session.enrolling) });
  });

  router.post('/account/two-factor', async (req, res) => {
    const user = staffUser(req);
    const secret = req.session.enrolling;
    if (user.totpEnrolled || !secret) return res.redirect(303, '/staff/account/two-factor');
    const parsed = signInCode.safeParse(answerFields(req.body));
    const again = async (errors: FieldError[]) =>
      render(res, 'two-factor', 400, { ...withErrors(errors), enrolment: await auth.enrolmentPicture(user, secret) });
    if (!parsed.success) return again(fieldErrors(parsed.error, req.t));
    if (!(await auth.confirmEnrolment(user, secret, parsed.data.code, String(req.id)))) {
      return again([{ field: 'code', text: req.t('staff.code.refused') }]);
    }
    delete req.session.enrolling;
    // The user has just shown a valid code: this session counts as having passed the second factor.
    req.session.secondFactor = true;
    req.session.flash = 'staff.twoFactor.done';
    return res.redirect(303, '/staff/account');
  });

  router.get('/account/password', (_req, res) => render(res, 'change-password', 200, {}));

  router.post('/account/password', async (req, res) => {
    const user = staffUser(req);
    const parsed = changePassword.safeParse(answerFields(req.body));
    if (!parsed.success) return render(res, 'change-password', 400, withErrors(fieldErrors(parsed.error, req.t)));
    const problem = await auth.changePassword(user, {
      current: parsed.data.current,
      next: parsed.data.password,
      keepSessionId: req.sessionID,
      requestId: String(req.id),
    });
    if (problem === 'wrongPassword') {
      return render(
        res,
        'change-password',
        400,
        withErrors([{ field: 'current', text: req.t('staff.password.wrongCurrent') }]),
      );
    }
    if (problem) {
      const text = req.t(`staff.password.${problem}`, { min: PASSWORD_MIN, max: PASSWORD_MAX });
      return render(res, 'change-password', 400, withErrors([{ field: 'password', text }]));
    }
    req.session.flash = 'staff.password.changed';
    return res.redirect(303, '/staff/account');
  });

  return router;
}
