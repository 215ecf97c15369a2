import { Router } from 'express';
import { GOAL_REVIEW_SORTABLE } from '../../domain/reviews/repository';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import {
  getGoalReview,
  goalReviewFilterSchema,
  goalReviewPdf,
  goalReviewPrintHtml,
  listGoalReviewsFor,
  planningExport,
  planningFor,
} from '../usecases/goal-reviews';
import './goal-reviews-openapi';

/**
 * /api/goal-reviews — read-only, ra-data-simple-rest; the printable 周期评估报告 (HTML, PDF); the
 * bureau's planning view and its CSV. Reviews are written only by the workflow's activities.
 */
export function goalReviewRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('reviews.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: GOAL_REVIEW_SORTABLE, defaultSort: ['openedAt', 'DESC'], filter: goalReviewFilterSchema });
    sendList(res, 'goal-reviews', list, await listGoalReviewsFor(db, actorOf(req), list));
  });

  // Before /:id so that "planning" is never read as an id.
  router.get('/planning', requireRight('reviews.plan'), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await planningFor(db, actorOf(req), req.query));
  });

  const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
  for (const format of ['csv', 'xlsx'] as const) {
    router.get(`/planning.${format}`, requireRight('reviews.plan'), async (req, res) => {
      const { file, name } = await planningExport(db, actorOf(req), req.query, format);
      res.setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Content-Disposition', `attachment; filename="planning.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      res.setHeader('Cache-Control', 'no-store');
      res.end(file);
    });
  }

  router.get('/:id', requireRight('reviews.read'), async (req, res) => {
    res.json(await getGoalReview(db, actorOf(req), String(req.params.id)));
  });

  router.get('/:id/print', requireRight('reviews.read'), async (req, res) => {
    const html = await goalReviewPrintHtml(db, actorOf(req), String(req.params.id));
    res.type('html').setHeader('Cache-Control', 'no-store').send(html);
  });

  router.get('/:id/report.pdf', requireRight('reviews.read'), async (req, res) => {
    const { pdf, name } = await goalReviewPdf(db, actorOf(req), String(req.params.id));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(pdf);
  });

  return router;
}
