import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { intId } from '../usecases/input';
import {
  createFormField,
  deleteFormField,
  FORM_FIELD_SORTABLE,
  formFieldFilterSchema,
  getFormField,
  listFormFields,
  updateFormField,
} from '../usecases/form-fields';

const WHAT = '表单字段 / Form field';

/** /api/form-fields: the registration form's administrator-defined fields. */
export function formFieldRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));
  router.get('/', requireRight('formFields.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: FORM_FIELD_SORTABLE, defaultSort: ['position', 'ASC'], filter: formFieldFilterSchema });
    sendList(res, 'form-fields', list, await listFormFields(db, list));
  });
  router.get('/:id', requireRight('formFields.read'), async (req, res) => {
    res.json(await getFormField(db, intId(req.params.id, WHAT)));
  });
  router.post('/', requireRight('formFields.write'), async (req, res) => {
    res.status(201).json(await createFormField(db, actorOf(req), req.body));
  });
  router.put('/:id', requireRight('formFields.write'), async (req, res) => {
    res.json(await updateFormField(db, actorOf(req), intId(req.params.id, WHAT), req.body));
  });
  router.delete('/:id', requireRight('formFields.write'), async (req, res) => {
    res.json(await deleteFormField(db, actorOf(req), intId(req.params.id, WHAT)));
  });
  return router;
}
