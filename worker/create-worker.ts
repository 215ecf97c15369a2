import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Db } from '../db/connection';
import { loadConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createActivities, type ActivityDeps } from './activities/index';
import { createMailer, type Mailer } from './mailer';

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
}

export const WORKFLOWS_PATH = require.resolve('../workflows/index');

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const config = opts.config ?? loadConfig();
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db: opts.db, mailer: opts.mailer ?? createMailer({ SMTP_URL: config.SMTP_URL, MAIL_FROM: config.MAIL_FROM ?? '' }), logger: opts.logger, config }),
    ...opts.extra,
  });
  return { worker, connection };
}
