/**
 * A registration whose workflow activity fails on every attempt, the way a broken database write
 * would: a trigger refuses the inbox row of that one registration, so `openStepTasks` (the activity that opens a step's tasks) throws and
 * Temporal retries it. The submit that started it stays in flight until the fault is cleared.
 */
import type { Actor } from '../../api/middleware/auth';
import { tokenFor, type TestSystem } from '../support/harness';
import { draftRegistration, eventually } from '../workflow/support';

export const INJECTED_FAULT = '测试故障：收件箱拒绝写入 / test fault: the inbox refuses this write';

export async function registrationWithFailingActivity(sys: TestSystem, staff: Actor) {
  const id = await draftRegistration(sys, staff);
  const trigger = `jlt_test_refuse_${id.replace(/-/g, '').slice(0, 12)}`;
  await sys.db.raw(`create or replace function jlt_test_refuse_task() returns trigger language plpgsql as $$ begin raise exception '${INJECTED_FAULT}'; end $$`);
  await sys.db.raw(`create trigger ${trigger} before insert on tasks for each row when (new.registration_id = '${id}') execute function jlt_test_refuse_task()`);
  const submitting = new AbortController();
  // The submit answers once the first task is open, which the fault prevents: not awaited.
  const submit = fetch(`${sys.baseUrl}/api/registrations/${id}/submit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenFor(sys.config, staff)}` },
    signal: submitting.signal,
  }).catch(() => undefined);
  // Temporal has retried at least once, with the fault as the last failure.
  await eventually(async () => {
    const d = await sys.temporal.workflow.getHandle(`registration-${id}`).describe().catch(() => null);
    return d?.raw.pendingActivities?.some((a) => (a.attempt ?? 0) >= 2 && a.lastFailure?.message?.includes('测试故障')) ?? false;
  }, 30_000, 'the injected activity failure');
  return {
    id,
    /** Lifts the fault and waits for the next retry (at most a minute away) to let the submit answer. */
    async clear() {
      await sys.db.raw(`drop trigger if exists ${trigger} on tasks`);
      const answered = await Promise.race([submit.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 90_000).unref())]);
      if (!answered) submitting.abort();
      await submit;
    },
  };
}
