import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Db } from '../db/connection';
import type { Logger } from '../platform/logger';
import { createActivities } from './activities/index';
import { noMailer, type Mailer } from './mailer';

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  logger: Logger;
  mailer?: Mailer;
  /** Pre-bundled workflow code (tests bundle once per run); otherwise the sources are bundled at start. */
  workflowBundlePath?: string;
  extra?: Partial<WorkerOptions>;
}

export const WORKFLOWS_PATH = require.resolve('../workflows/index');

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db: opts.db, mailer: opts.mailer ?? noMailer, logger: opts.logger }),
    ...opts.extra,
  });
  return { worker, connection };
}
