import { Router } from 'express';
import { USER_SORTABLE } from '../../domain/users/repository';
import { userFilterSchema } from '../../domain/users/schema';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { intId } from '../usecases/input';
import { createUser, deactivateUser, getUser, listUsersFor, updateUser } from '../usecases/users';

const WHAT = '用户 / User';

/** /api/users: administrators only; never answers a password hash. */
export function userRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('users.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: USER_SORTABLE, defaultSort: ['id', 'ASC'], filter: userFilterSchema });
    sendList(res, 'users', list, await listUsersFor(db, list));
  });
  router.get('/:id', requireRight('users.read'), async (req, res) => {
    res.json(await getUser(db, intId(req.params.id, WHAT)));
  });
  router.post('/', requireRight('users.write'), async (req, res) => {
    res.status(201).json(await createUser(db, actorOf(req), req.body));
  });
  router.put('/:id', requireRight('users.write'), async (req, res) => {
    res.json(await updateUser(db, actorOf(req), intId(req.params.id, WHAT), req.body));
  });
  router.delete('/:id', requireRight('users.write'), async (req, res) => {
    res.json(await deactivateUser(db, actorOf(req), intId(req.params.id, WHAT)));
  });
  return router;
}
