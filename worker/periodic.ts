/**
 * A job the worker process runs on a timer beside the Temporal worker (the outbox sender, the overview
 * compaction): one run at a time, the next `intervalMs` after the last ended, a failed run logged and
 * tried again next time, and `stop()` waits for the run in progress.
 */
import type { Logger } from '../platform/logger';

export interface PeriodicJob {
  start(): void;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

export function periodicJob(name: string, intervalMs: number, run: (stopped: () => boolean) => Promise<unknown>, logger: Logger): PeriodicJob {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;

  const tick = () => {
    running = run(() => stopped)
      .then(
        () => undefined,
        (err) => logger.warn({ err, job: name }, `${name} failed; will retry`),
      )
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
