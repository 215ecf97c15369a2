/**
 * A worker in a process of its own, for the crash test: after the activity named in
 * CRASH_AFTER_ACTIVITY has done its work (committed) it prints `effects-done <type>` and hangs
 * instead of reporting back, so a SIGKILL lands between the effects and Temporal hearing of them.
 * The retry on the next worker must then find everything in place and duplicate nothing.
 */
import { Context } from '@temporalio/activity';
import { createDb } from '../../db/connection';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { createWorker } from '../../worker/create-worker';
import type { TestState } from '../support/harness';

async function main() {
  const state = JSON.parse(process.env.JLT_TEST_STATE!) as TestState;
  const taskQueue = process.env.CRASH_TASK_QUEUE!;
  const hangAfter = process.env.CRASH_AFTER_ACTIVITY!;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: state.databaseUrl, TEMPORAL_ADDRESS: state.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: state.runDir, LOG_LEVEL: 'silent' });
  const db = createDb(state.databaseUrl);
  const { worker } = await createWorker({
    address: state.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    db,
    logger: createLogger('silent', 'crashing-worker'),
    config,
    workflowBundlePath: state.workflowBundlePath,
    extra: {
      interceptors: {
        activity: [
          () => ({
            inbound: {
              execute: async (input, next) => {
                const result = await next(input);
                const type = Context.current().info.activityType;
                process.stdout.write(`effects-done ${type}\n`);
                if (type === hangAfter) await new Promise(() => undefined);
                return result;
              },
            },
          }),
        ],
      },
    },
  });
  process.stdout.write('ready\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
