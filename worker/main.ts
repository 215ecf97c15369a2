import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createDb } from '../db/connection';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { anchorAuditStreams } from '../domain/audit-anchors';
import { compactOverviewCounts } from '../domain/overview/counts';
import { createWorker } from './create-worker';
import { periodicJob } from './periodic';
import { cachedWorkflowBundle } from './workflow-bundle';

const OVERVIEW_COMPACTION_MS = 60_000;
const AUDIT_ANCHOR_MS = 5 * 60_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  // The SDK's own logs (bundling, state changes) only when something is wrong.
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN'),
    // The SDK's own Prometheus exporter (sticky cache size, slots, poll and task latencies) on /metrics.
    ...(config.WORKER_METRICS_PORT !== undefined
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}` } } } }
      : {}),
  });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required');
  const db = createDb(config.DATABASE_URL);
  const { worker, connection, outbox } = await createWorker({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    logger,
    config,
    workflowBundlePath: await cachedWorkflowBundle(config.dataDir),
  });
  // Worker.run() drains and returns on SIGINT/SIGTERM (the SDK installs the handlers), or when the
  // supervisor that started us dies without stopping us (its IPC channel closes).
  process.once('disconnect', () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  // The channel only watches the supervisor: it must not keep this process alive once the worker has stopped.
  process.channel?.unref();
  const running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  outbox?.start();
  // The overview's appended count entries folded once a minute (one worker at a time does it).
  const overviewCompaction = periodicJob('overview count compaction', OVERVIEW_COMPACTION_MS, () => compactOverviewCounts(db), logger);
  overviewCompaction.start();
  // The audit streams anchored every few minutes (a stream's removed tail shows at the next check).
  const auditAnchoring = periodicJob('audit anchoring', AUDIT_ANCHOR_MS, () => anchorAuditStreams(db), logger);
  auditAnchoring.start();
  // Tells the supervisor (npm start) that the worker polls: READY waits for it.
  process.send?.({ ready: 'worker' });
  await running;
  await outbox?.stop();
  await overviewCompaction.stop();
  await auditAnchoring.stop();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
