/** The current workflow with a behaviour change NOT behind patched(): it reloads the policies first. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../worker/activities/index';
import { registrationWorkflow as current } from '../../../workflows/registration';
import type { RegistrationWorkflowInput } from '../../../workflows/shared';

const { loadDeadlinePolicies } = proxyActivities<Activities>({ startToCloseTimeout: '15 seconds' });

export async function registrationWorkflow(input: RegistrationWorkflowInput) {
  await loadDeadlinePolicies();
  return current(input);
}
