/**
 * Scale-out on the production engine (issue 10). Runs only with JLT_CLUSTER=1 (`npm run test:cluster`).
 *
 * Temporal's server v1.29.1 — the engine the compose file deploys, not the dev server — with its schema
 * on PostgreSQL and its frontend, two history, matching and worker services as separate processes; two
 * `npm start` supervisors of ours against it, each with its own API and worker, every call going to
 * the next API in turn. Registrations flow through the chain from several lanes while one history
 * process (kept down until every registration in flight has moved on without it), then one of our
 * workers, is killed with SIGKILL and restarted. Then, as in the fault suite:
 * nothing answered 2xx is lost, workflow and database agree, nothing is duplicated, every open task is in
 * its inbox, the audit chain verifies, and no call got a 500 or hung while the part was down.
 */
import type { TemporalCluster } from '../../platform/temporal-cluster';
import { createCast } from '../workflow/support';
import { batchWithKill } from '../faults/batch';
import { FaultSystem, type Cast } from '../faults/support';
import { clusterTemporal, temporalServerBins } from './support';

let sys: FaultSystem;
let cast: Cast;
const clusters: TemporalCluster[] = [];
const figures: Record<string, unknown>[] = [];
const done: string[] = [];
const ROUNDS = Array.from({ length: Math.max(1, Number(process.env.JLT_CLUSTER_ROUNDS ?? 1)) }, (_, i) => i + 1);

beforeAll(async () => {
  const startedAt = Date.now();
  // A first run builds the server (about ten minutes on two cores); later runs find it in the cache.
  const bins = await temporalServerBins();
  sys = new FaultSystem({ apps: 2, temporal: clusterTemporal(bins, clusters) });
  await sys.start();
  cast = await createCast(sys.db);
  figures.push({ startMs: Date.now() - startedAt });
}, 40 * 60_000);

afterAll(async () => {
  if (figures.length) process.stderr.write(`[cluster] ${JSON.stringify(figures, null, 1)}\n`);
  await sys?.stop();
}, 60_000);

describe('two APIs and two workers on a Temporal cluster of separate services', () => {
  test('The frontend, both history processes, the matching and the worker services run as processes of their own, and both APIs are ready', async () => {
    const [cluster] = clusters;
    expect(cluster.processes.map((p) => [p.name, p.service])).toEqual([
      ['frontend', 'frontend'],
      ['history-1', 'history'],
      ['history-2', 'history'],
      ['matching', 'matching'],
      ['worker', 'worker'],
    ]);
    expect(new Set(cluster.processes.map((p) => p.child?.pid)).size).toBe(5);
    expect(sys.appCount).toBe(2);
    expect([await sys.ready(0), await sys.ready(1)]).toEqual([true, true]);
  });

  // JLT_CLUSTER_ROUNDS=n (longer runs) repeats the pair, taking the other history process and the other worker each round.
  describe.each(ROUNDS)('round %i', (round) => {
    const history = (round - 1) % 2;
    const worker = round % 2;

    test(`When history process ${history + 1} is killed with SIGKILL mid-batch, kept down until every registration in flight has moved on without it, and restarted, then every accepted action is reflected exactly once, open tasks stay in inboxes, the audit chain verifies and no call fails with a 500 or hangs`, async () => {
      const batch = await batchWithKill(sys, cast, 'history', done, { which: history, holdDown: true });
      done.push(...batch.ids);
      figures.push(batch.figures);
      // The surviving history process took over the dead one's shards: every registration moved on while it was down.
      expect(batch.figures.inFlightAtKill).toBeGreaterThan(0);
      expect(batch.figures.acceptedWhileDown).toBeGreaterThanOrEqual(batch.figures.inFlightAtKill as number);
    }, 900_000);

    test(`When supervisor ${worker + 1}’s worker is killed with SIGKILL mid-batch and restarted, then every accepted action is reflected exactly once, open tasks stay in inboxes, the audit chain verifies and no call fails with a 500 or hangs`, async () => {
      const batch = await batchWithKill(sys, cast, 'worker', done, { which: worker });
      done.push(...batch.ids);
      figures.push(batch.figures);
    }, 900_000);
  });

  test('Both APIs answered the load: calls were spread across them and each accepted actions', () => {
    const answered = [0, 1].map((app) => sys.calls.filter((c) => c.app === app && typeof c.status === 'number' && c.status < 300).length);
    figures.push({ chainsDone: done.length, callsAnsweredByApi: answered });
    expect(done.length).toBeGreaterThan(0);
    expect(answered.every((n) => n > 0)).toBe(true);
  });
});
