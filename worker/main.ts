import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createDb } from '../db/connection';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createWorker } from './create-worker';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  // The SDK's own logs (bundling, state changes) only when something is wrong.
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required');
  const db = createDb(config.DATABASE_URL);
  const { worker, connection, outbox } = await createWorker({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    logger,
    config,
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  outbox?.start();
  // Worker.run() drains and returns on SIGINT/SIGTERM (the SDK installs the handlers).
  await worker.run();
  await outbox?.stop();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
