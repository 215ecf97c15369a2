/**
 * GET /metrics in the Prometheus text format: request latency by route pattern, accepted decisions
 * by step and outcome, open inbox tasks and the outbox backlog (both counted when scraped).
 * The worker's own figures (sticky cache size, slots) come from the SDK's exporter on the worker
 * (WORKER_METRICS_PORT).
 *
 * Access: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; without it, only direct
 * loopback requests (no X-Forwarded-For), so a reverse proxy never publishes it by accident.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppDeps } from './deps';

// Process-wide: one per API process however many apps it builds (tests build several).
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const requestDuration = new Histogram({
  name: 'jlt_http_request_duration_seconds',
  help: 'HTTP request latency by method, Express route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

const decisions = new Counter({
  name: 'jlt_decisions_total',
  help: 'Decisions on inbox tasks accepted by the workflow, by step and outcome (action)',
  labelNames: ['step', 'outcome'] as const,
  registers: [processRegistry],
});

/** Counts a decision the workflow accepted (called where the API receives it). */
export function decisionAccepted(step: string, outcome: string): void {
  decisions.inc({ step, outcome });
}

const PATTERN = Symbol('routePattern');
type WithPattern = Request & { [PATTERN]?: string };

/**
 * Times every request, labelled with the route pattern (`/api/tasks/:id/complete`), never the raw
 * path. Express sets `req.route` when a route matches, while `req.baseUrl` still holds the mount
 * path; both are read at that moment, because an error leaving the routers resets `baseUrl`.
 */
export function observeRequests() {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = requestDuration.startTimer();
    let route: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (value?.path !== undefined) (req as WithPattern)[PATTERN] = `${req.baseUrl}${String(value.path)}`;
      },
    });
    res.once('finish', () => {
      end({ method: req.method, route: (req as WithPattern)[PATTERN] ?? 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

function allowed(req: Request, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(req.get('authorization') ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const peer = req.socket.remoteAddress ?? '';
  return ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(peer) && !req.get('x-forwarded-for');
}

export function metricsRoutes({ db, config }: AppDeps): Router {
  // Per app: these read the app's own database.
  const appRegistry = new Registry();
  new Gauge({
    name: 'jlt_inbox_open_tasks',
    help: 'Open inbox tasks by step and assignee role',
    labelNames: ['step', 'assignee_role'] as const,
    registers: [appRegistry],
    async collect() {
      // Served by the (status, assignee_role, due_at) index.
      const rows: { step: string; assigneeRole: string; n: string }[] = await db('tasks')
        .where({ status: 'open' })
        .groupBy('step', 'assigneeRole')
        .select('step', 'assigneeRole')
        .count({ n: '*' });
      this.reset();
      for (const r of rows) this.set({ step: r.step, assignee_role: r.assigneeRole }, Number(r.n));
    },
  });
  new Gauge({
    name: 'jlt_outbox_messages',
    help: 'Outbox messages not yet sent, by status (pending, failed); absent when there is no outbox',
    labelNames: ['status'] as const,
    registers: [appRegistry],
    async collect() {
      this.reset();
      if (!(await db.schema.hasTable('outbox'))) return;
      const rows: { status: string; n: string }[] = await db('outbox').whereIn('status', ['pending', 'failed']).groupBy('status').select('status').count({ n: '*' });
      for (const status of ['pending', 'failed']) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });

  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!allowed(req, config.METRICS_TOKEN)) {
      res.status(config.METRICS_TOKEN ? 401 : 403).json({ code: 'forbidden', message: '指标仅对监控开放 / Metrics are for the monitoring system only' });
      return;
    }
    const merged = Registry.merge([processRegistry, appRegistry]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  return router;
}
