/**
 * Scripts outside jest (benchmarks, history recording) on the same real parts as the tests:
 * provisions the run, starts the system, runs the body, and always tears everything down.
 */
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { startSystem, type TestSystem } from './harness';

export function runScript(options: Parameters<typeof startSystem>[0], body: (sys: TestSystem) => Promise<void>): void {
  const run = async () => {
    await globalSetup();
    const sys = await startSystem(options);
    try {
      await body(sys);
    } finally {
      await sys.close();
      await globalTeardown();
    }
  };
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/** The p-th percentile (nearest rank) of a sample. */
export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
