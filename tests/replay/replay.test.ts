/**
 * Histories of real runs (recorded by tests/replay/record-histories.ts) replayed against the
 * workflow code as it is now: a change that would break registrations in flight fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Worker, type ReplayResult } from '@temporalio/worker';
import { testState } from '../support/harness';
import { historyFromPlain, type RecordedHistory } from './history-file';

const DIR = path.join(__dirname, 'histories');
const recorded: RecordedHistory[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

async function replayAll(workflowBundle: { code: string } | { codePath: string }): Promise<ReplayResult[]> {
  const histories = recorded.map((r) => ({ workflowId: r.workflowId, history: historyFromPlain(r.history) }));
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.push(result);
  return results;
}

const variant = async (file: string) => bundleWorkflowCode({ workflowsPath: require.resolve(`./variants/${file}`), logger: new DefaultLogger('WARN') });

describe('Recorded workflow histories', () => {
  test('When every recorded history is replayed against the current workflow code, then none diverges', async () => {
    expect(recorded.map((r) => r.scenario)).toEqual(expect.arrayContaining(['full-path', 'edited-then-rejected', 'withdrawn', 'return-loops', 'working-days', 'rating-in-one-write']));
    expect(recorded.some((r) => r.status === 'CONTINUED_AS_NEW')).toBe(true);
    const results = await replayAll({ codePath: testState().workflowBundlePath });
    expect(results).toHaveLength(recorded.length);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
  });

  test('When the workflow code changes without patched(), then the replay reports the divergence', async () => {
    const results = await replayAll(await variant('unpatched-change.ts'));
    const failed = results.filter((r) => r.error);
    expect(failed).toHaveLength(recorded.length);
    expect(failed[0].error?.name).toBe('DeterminismViolationError');
  }, 120_000);

  test('When the same change is behind patched(), then every recorded history still replays', async () => {
    const results = await replayAll(await variant('patched-change.ts'));
    expect(results.filter((r) => r.error).map((r) => r.error?.message)).toEqual([]);
  }, 120_000);
});
