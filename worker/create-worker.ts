import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Db } from '../db/connection';
import { loadConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createActivities, type ActivityDeps } from './activities/index';
import { createMailer, type Mailer } from './mailer';
import { createOutboxSender, type OutboxSender, type OutboxSenderOptions } from './outbox-sender';

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  logger: Logger;
  /** Defaults to SMTP when config.SMTP_URL is set, otherwise in-app notifications only. */
  mailer?: Mailer;
  /** dataDir (signing key) and SMTP settings; read from the environment when not given. */
  config?: ActivityDeps['config'];
  /** Pre-bundled workflow code (tests bundle once per run); otherwise the sources are bundled at start. */
  workflowBundlePath?: string;
  extra?: Partial<WorkerOptions>;
  /** Retry and polling settings of the outbox sender (tests shorten the backoff). */
  outbox?: OutboxSenderOptions;
}

export const WORKFLOWS_PATH = require.resolve('../workflows/index');

/**
 * Registrations wait on people for days, so most open workflows are idle: the worker keeps only this
 * many in memory (the SDK's default grows with the machine's memory, ~2,300 here, ~0.3 MiB each).
 * One not in the cache is replayed from its short history (continue-as-new keeps it short) when
 * someone acts on it. Measured in bench/worker-memory.ts.
 */
export const MAX_CACHED_WORKFLOWS = 250;

/** The database pool size the activities share: more concurrent activities would only queue for a connection. */
function poolMax(db: Db): number {
  const max = (db.client as { config?: { pool?: { max?: number } } }).config?.pool?.max;
  return typeof max === 'number' && max > 0 ? max : 10;
}

/**
 * The Temporal worker and, beside it, the outbox sender (not started: the caller starts it with the
 * worker and stops it after). The sender is null when no SMTP is configured (nothing is queued then).
 */
export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection; outbox: OutboxSender | null }> {
  const config = opts.config ?? loadConfig();
  const mailer = opts.mailer ?? createMailer({ SMTP_URL: config.SMTP_URL, MAIL_FROM: config.MAIL_FROM ?? '' });
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db: opts.db, mailer, logger: opts.logger, config }),
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: poolMax(opts.db),
    ...opts.extra,
  });
  const outbox = mailer.enabled ? createOutboxSender({ db: opts.db, mailer, logger: opts.logger }, opts.outbox) : null;
  return { worker, connection, outbox };
}
