/**
 * The limit for the chain benchmark: a workflow with the same Updates as the registration workflow
 * (`submit`, then `completeTask` three times) whose every step runs the same number of activities
 * as the real one, each a no-op. What remains is the cost of Temporal itself on this server.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '15 seconds' });

export const bareSubmit = defineUpdate<number, [unknown]>('submit');
export const bareComplete = defineUpdate<number, [unknown]>('completeTask');

export async function bareRegistrationWorkflow(activitiesPerAction: number): Promise<void> {
  let received = 0;
  let applied = 0;
  const handle = async () => {
    const seq = ++received;
    await condition(() => applied >= seq);
    return seq;
  };
  setHandler(bareSubmit, handle);
  setHandler(bareComplete, handle);
  for (let step = 0; step < 4; step++) {
    await condition(() => received > applied);
    for (let i = 0; i < activitiesPerAction; i++) await noop();
    applied++;
  }
  // Waits like the registration does after approval (on the review date), so completion is not measured.
  await condition(() => false, '1 hour');
}
