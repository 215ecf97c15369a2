/**
 * The cluster suite's Temporal: the production server (platform/temporal-server.ts, built into the cache
 * when missing) as separate frontend, history ×2, matching and worker processes on fresh databases of the
 * run's PostgreSQL server (platform/temporal-cluster.ts), behind the fault harness's Temporal interface.
 */
import { createProgressBoard } from '../../platform/progress';
import { TemporalCluster } from '../../platform/temporal-cluster';
import { locateTemporalServer, type TemporalServerBins } from '../../platform/temporal-server';
import type { TemporalUnderTest } from '../faults/support';
import { testState } from '../support/harness';

const say = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

/** The server's binaries; a first run builds them (about ten minutes), saying so every ten seconds. */
export async function temporalServerBins(): Promise<TemporalServerBins> {
  const board = createProgressBoard({ tty: false, log: say });
  try {
    return await locateTemporalServer(say, (detail) => board.set('build', 'Building the Temporal server', detail));
  } finally {
    board.close();
  }
}

/** Which process a fault suite's part names: `history` is the first history process. */
const PROCESS_OF: Record<string, string> = { history: 'history-1' };

export function clusterTemporal(bins: TemporalServerBins, clusters: TemporalCluster[] = []) {
  return async ({ dir }: { dir: string }): Promise<TemporalUnderTest> => {
    const cluster = await TemporalCluster.start({ bins, adminUrl: testState().adminUrl, dir: `${dir}/temporal`, histories: 2, log: say });
    clusters.push(cluster);
    const processOf = (part: string) => {
      const name = PROCESS_OF[part];
      if (!name) throw new Error(`the cluster suite kills no ${part}`);
      return name;
    };
    return {
      address: cluster.address,
      kill: async (part) => void (await cluster.kill(processOf(part))),
      restart: async (part) => void (await cluster.launch(processOf(part))),
      stop: () => cluster.stop(),
    };
  };
}
