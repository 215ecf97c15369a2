import { Router } from 'express';
import { REGISTRATION_SORTABLE } from '../../domain/registrations/repository';
import { registrationFilterSchema } from '../../domain/registrations/schema';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import {
  createRegistration,
  getRegistration,
  listRegistrationsFor,
  removeRegistration,
  updateRegistration,
} from '../usecases/registrations';

/** /api/registrations in the ra-data-simple-rest contract (submit/withdraw live in their own router). */
export function registrationRoutes({ db, config, temporal }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('registrations.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: REGISTRATION_SORTABLE, defaultSort: ['updatedAt', 'DESC'], filter: registrationFilterSchema });
    sendList(res, 'registrations', list, await listRegistrationsFor(db, actorOf(req), list));
  });

  router.get('/:id', requireRight('registrations.read'), async (req, res) => {
    res.json(await getRegistration(db, actorOf(req), String(req.params.id)));
  });

  router.post('/', requireRight('registrations.write'), async (req, res) => {
    res.status(201).json(await createRegistration(db, actorOf(req), req.body));
  });

  router.put('/:id', requireRight('registrations.write'), async (req, res) => {
    res.json(await updateRegistration(db, actorOf(req), String(req.params.id), req.body, temporal));
  });

  router.delete('/:id', requireRight('registrations.delete'), async (req, res) => {
    res.json(await removeRegistration(db, actorOf(req), String(req.params.id)));
  });

  return router;
}
