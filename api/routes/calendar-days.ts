import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import {
  CALENDAR_DAY_SORTABLE,
  calendarDayFilterSchema,
  createCalendarDay,
  deleteCalendarDay,
  getCalendarDay,
  listCalendarDays,
  updateCalendarDay,
} from '../usecases/calendar-days';
import { intId } from '../usecases/input';
import './calendar-days-openapi';

const WHAT = '工作日历 / Calendar day';

/** /api/calendar-days: local overrides of the working-day calendar — read by everyone signed in, changed by administrators (moves in-flight due times). */
export function calendarDayRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));
  router.get('/', requireRight('calendar.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: CALENDAR_DAY_SORTABLE, defaultSort: ['date', 'ASC'], filter: calendarDayFilterSchema });
    sendList(res, 'calendar-days', list, await listCalendarDays(db, list));
  });
  router.get('/:id', requireRight('calendar.read'), async (req, res) => {
    res.json(await getCalendarDay(db, intId(req.params.id, WHAT)));
  });
  router.post('/', requireRight('calendar.write'), async (req, res) => {
    res.status(201).json(await createCalendarDay(deps, actorOf(req), req.body));
  });
  router.put('/:id', requireRight('calendar.write'), async (req, res) => {
    res.json(await updateCalendarDay(deps, actorOf(req), intId(req.params.id, WHAT), req.body));
  });
  router.delete('/:id', requireRight('calendar.write'), async (req, res) => {
    res.json(await deleteCalendarDay(deps, actorOf(req), intId(req.params.id, WHAT)));
  });
  return router;
}
