import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { UUID, editUserForm, newUserForm } from './admin.schemas.js';
import type { Services } from '../../compose.js';
import { ROLES, type UserProblem } from './userAdmin.service.js';
import { fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { renderAdmin } from './adminHome.routes.js';
import { staffUser } from '../../platform/http/guards.js';

/** The field each refusal is shown beside. */
const PROBLEM_FIELD: Record<Exclude<UserProblem, 'notFound'>, string> = {
  emailTaken: 'email',
  selfAdmin: 'roles',
  selfDisable: 'disable',
  selfTwoStep: 'twoStep',
};

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'userAdmin'>;

/** Staff accounts: list, add, change, disable, and help a user back in. Paths are under /staff/admin. */
export function adminUserRoutes(services: Deps): Router {
  const router = Router();
  const { userAdmin } = services;
  const idOf = (req: Request) => {
    const id = req.params['id'];
    if (typeof id !== 'string' || !UUID.test(id)) throw notFound();
    return id;
  };
  const problemError = (req: Request, problem: Exclude<UserProblem, 'notFound'>): FieldError => ({
    field: PROBLEM_FIELD[problem],
    text: req.t(`admin.users.problem.${problem}`),
  });
  /** The user's page, with the edit form showing `values` (the user's own details by default). */
  const userPage = async (
    req: Request,
    res: Response,
    status: number,
    errors: FieldError[] = [],
    values?: FormBody,
  ) => {
    const user = await userAdmin.get(idOf(req));
    if (!user) throw notFound();
    const self = user.id === staffUser(req).id;
    renderAdmin(res, 'user', status, { user, self, roles: ROLES, errors, values: values ?? user });
  };

  router.get('/users', async (req, res) => {
    renderAdmin(res, 'users', 200, { users: await userAdmin.list(), me: staffUser(req).id });
  });

  router.get('/users/new', (_req, res) => {
    renderAdmin(res, 'user-new', 200, { roles: ROLES, values: { language: 'en', roles: [] } });
  });

  router.post('/users', async (req, res) => {
    const fields = answerFields(req.body, ['roles']);
    const parsed = newUserForm.safeParse(fields);
    const refuse = (errors: FieldError[]) =>
      renderAdmin(res, 'user-new', 400, { roles: ROLES, values: fields, errors });
    if (!parsed.success) return refuse(fieldErrors(parsed.error, req.t));
    const created = await userAdmin.create(staffUser(req).id, parsed.data, String(req.id));
    if ('problem' in created) return refuse([problemError(req, created.problem)]);
    req.session.flash = 'admin.users.created';
    return res.redirect(303, `/staff/admin/users/${created.id}`);
  });

  router.get('/users/:id', (req, res) => userPage(req, res, 200));

  /** Runs one change; a refusal is shown on the user's page, success comes back to it with a notice. */
  const act = (
    change: (by: string, id: string, requestId: string) => Promise<UserProblem | undefined>,
    flash: string,
    values?: (req: Request) => FormBody,
  ) => {
    return async (req: Request, res: Response) => {
      const id = idOf(req);
      const problem = await change(staffUser(req).id, id, String(req.id));
      if (problem === 'notFound') throw notFound();
      if (problem) return userPage(req, res, 400, [problemError(req, problem)], values?.(req));
      req.session.flash = flash;
      return res.redirect(303, `/staff/admin/users/${id}`);
    };
  };

  router.post('/users/:id', async (req, res) => {
    const fields = answerFields(req.body, ['roles']);
    const parsed = editUserForm.safeParse(fields);
    if (!parsed.success) return userPage(req, res, 400, fieldErrors(parsed.error, req.t), fields);
    const data = parsed.data;
    return act(
      (by, id, rid) => userAdmin.update(by, id, data, rid),
      'admin.users.saved',
      () => fields,
    )(req, res);
  });
  router.post(
    '/users/:id/disable',
    act((by, id, rid) => userAdmin.setDisabled(by, id, true, rid), 'admin.users.disabledDone'),
  );
  router.post(
    '/users/:id/enable',
    act((by, id, rid) => userAdmin.setDisabled(by, id, false, rid), 'admin.users.enabled'),
  );
  router.post(
    '/users/:id/password-link',
    act((by, id, rid) => userAdmin.sendPasswordLink(by, id, rid), 'admin.users.linkSent'),
  );
  router.post(
    '/users/:id/two-step/remove',
    act((by, id, rid) => userAdmin.resetTwoStep(by, id, rid), 'admin.users.twoStepRemoved'),
  );
  router.post(
    '/users/:id/unlock',
    act((by, id, rid) => userAdmin.unlock(by, id, rid), 'admin.users.unlocked'),
  );

  return router;
}
