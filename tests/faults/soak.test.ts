/**
 * The soak (issue 10): the fault suite's batches, one after another for JLT_SOAK_MINUTES, each killing
 * the next part in turn (worker, API, Temporal, Postgres, …) on one long-lived system. Only with
 * `npm run test:soak` (JLT_SOAK_MINUTES, default 30); every batch asserts what the kill -9 test does.
 */
import { createCast } from '../workflow/support';
import { batchWithKill, checkInvariants } from './batch';
import { FaultSystem, type Cast, type Part } from './support';

const MINUTES = Number(process.env.JLT_SOAK_MINUTES ?? 0);
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
  process.stderr.write(`[soak] ${figures.length} batches: ${JSON.stringify(figures)}\n`);
  await sys?.stop();
}, 60_000);

test(`When parts are killed in turn for ${MINUTES} minutes under load, then every batch keeps everything accepted, exactly once, and finishes`, async () => {
  expect(MINUTES).toBeGreaterThan(0);
  const endAt = Date.now() + MINUTES * 60_000;
  for (let round = 0; Date.now() < endAt; round++) {
    const part = PARTS[round % PARTS.length];
    const batch = await batchWithKill(sys, cast, part);
    done.push(...batch.ids);
    figures.push({ round, ...batch.figures });
  }
  expect(figures.length).toBeGreaterThan(0);
  // At the end, every registration of the whole soak once more.
  await checkInvariants(sys, done);
}, (MINUTES + 15) * 60_000);
