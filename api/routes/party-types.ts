import { Router } from 'express';
import type { AppDeps } from '../deps';
import { requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { getPartyType, listPartyTypes, PARTY_TYPE_SORTABLE, partyTypeFilterSchema } from '../usecases/party-types';

/** /api/party-types: the responsibility catalog with duties (read-only; seeded from the policy). */
export function partyTypeRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));
  router.get('/', requireRight('catalog.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: PARTY_TYPE_SORTABLE, defaultSort: ['sortOrder', 'ASC'], filter: partyTypeFilterSchema });
    sendList(res, 'party-types', list, await listPartyTypes(db, list));
  });
  router.get('/:id', requireRight('catalog.read'), async (req, res) => {
    res.json(await getPartyType(db, String(req.params.id)));
  });
  return router;
}
