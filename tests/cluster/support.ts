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

export function clusterTemporal(bins: TemporalServerBins, clusters: TemporalCluster[] = []) {
  return async ({ dir }: { dir: string }): Promise<TemporalUnderTest> => {
    const cluster = await TemporalCluster.start({ bins, adminUrl: testState().adminUrl, dir: `${dir}/temporal`, histories: 2, log: say });
    clusters.push(cluster);
    // The fault suite's part names a service; `which` picks its process (history-1, history-2).
    const processOf = (part: string, which = 0) => {
      if (part !== 'history') throw new Error(`the cluster suite kills no ${part}`);
      return `history-${which + 1}`;
    };
    return {
      address: cluster.address,
      kill: async (part, which) => void (await cluster.kill(processOf(part, which))),
      restart: async (part, which) => void (await cluster.launch(processOf(part, which))),
      stop: () => cluster.stop(),
    };
  };
}
