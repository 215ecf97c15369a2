import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { oneOrMany, parseListQuery, sendList } from '../simple-rest';
import { intId } from '../usecases/input';
import { createSchool, deleteSchool, getSchool, listDistricts, listSchools, SCHOOL_SORTABLE, schoolFilterSchema, updateSchool } from '../usecases/schools';

const WHAT = '学校 / School';

/** /api/schools: read by everyone signed in (within their district), written by administrators. */
export function schoolRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('schools.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: SCHOOL_SORTABLE, defaultSort: ['id', 'ASC'], filter: schoolFilterSchema });
    sendList(res, 'schools', list, await listSchools(db, actorOf(req), list));
  });
  router.get('/:id', requireRight('schools.read'), async (req, res) => {
    res.json(await getSchool(db, actorOf(req), intId(req.params.id, WHAT)));
  });
  router.post('/', requireRight('schools.write'), async (req, res) => {
    res.status(201).json(await createSchool(db, actorOf(req), req.body));
  });
  router.put('/:id', requireRight('schools.write'), async (req, res) => {
    res.json(await updateSchool(db, actorOf(req), intId(req.params.id, WHAT), req.body));
  });
  router.delete('/:id', requireRight('schools.write'), async (req, res) => {
    res.json(await deleteSchool(db, actorOf(req), intId(req.params.id, WHAT)));
  });
  return router;
}

const districtFilterSchema = z.strictObject({ id: oneOrMany(z.coerce.number().int().positive()).optional() });

/** /api/districts: the list the school form picks from (read-only). */
export function districtRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));
  router.get('/', requireRight('schools.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: { id: 'id', code: 'code', name: 'name' }, defaultSort: ['id', 'ASC'], filter: districtFilterSchema });
    sendList(res, 'districts', list, await listDistricts(db, list));
  });
  router.get('/:id', requireRight('schools.read'), async (req, res) => {
    const row = await db('districts').where({ id: intId(req.params.id, '区 / District') }).first('id', 'code', 'name');
    if (!row) throw AppError.notFound('区 / District');
    res.json(row);
  });
  return router;
}
