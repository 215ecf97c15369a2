import { Client, Connection } from '@temporalio/client';
import { createDb } from '../db/connection';
import { prewarmPdfThreads } from '../domain/print/pdf-thread';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createApp } from './app';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required');
  const db = createDb(config.DATABASE_URL);
  // Lazy: the API comes up (and /readyz says why not ready) even while Temporal is still starting.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ db, temporal, config, logger });
  const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));
  // A PDF thread made ready in the background, so the first PDF asked for is not the slow one.
  void prewarmPdfThreads(1).then((glyphs) => logger.debug({ glyphs }, 'PDF thread ready'));
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    logger.info('api shutting down');
    server.close(() => {
      void Promise.allSettled([db.destroy(), connection.close()]).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // Started by the supervisor: if it dies without stopping us, its IPC channel closes.
  process.once('disconnect', shutdown);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
