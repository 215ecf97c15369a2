/**
 * kill -9 of every part under load (issue 10). Runs only with JLT_FAULTS=1 (`npm run test:faults`):
 * a few minutes of real processes, outside the default `npm test`.
 *
 * Registrations flow through the chain — create, submit, the lead school's opinion, the principal's
 * signature, the bureau's approval — from several concurrent lanes through the API of `npm start`
 * (its supervisor, worker and API as separate processes) on a throwaway PostgreSQL and a Temporal dev
 * server of their own. Mid-batch, each part in turn is killed with SIGKILL and restarted. Then:
 * nothing answered 2xx is lost, workflow and database agree, nothing is duplicated, every open task
 * is in its inbox, the audit chain verifies, and every chain finishes.
 */
import { createCast } from '../workflow/support';
import { batchWithKill } from './batch';
import { FaultSystem, type Cast, type Part } from './support';

const PARTS: Part[] = ['worker', 'api', 'temporal', 'postgres'];

let sys: FaultSystem;
let cast: Cast;
const figures: Record<string, unknown>[] = [];
const done: string[] = [];

beforeAll(async () => {
  sys = new FaultSystem();
  await sys.start();
  cast = await createCast(sys.db);
}, 300_000);

afterAll(async () => {
  if (figures.length) process.stderr.write(`[faults] ${JSON.stringify(figures, null, 1)}\n`);
  await sys?.stop();
}, 60_000);

describe('kill -9 of each part while registrations move through the chain', () => {
  test.each(PARTS)(
    'When the %s is killed with SIGKILL mid-batch and restarted, then nothing accepted is lost or duplicated, workflow and database agree, open tasks stay in inboxes, the audit chain verifies and every chain finishes',
    async (part) => {
      const batch = await batchWithKill(sys, cast, part, done);
      done.push(...batch.ids);
      figures.push(batch.figures);
    },
    600_000,
  );
});
