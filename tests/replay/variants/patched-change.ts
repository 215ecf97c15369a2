/** The same change behind patched(): new runs take it, recorded histories replay the old way. */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../worker/activities/index';
import { registrationWorkflow as current } from '../../../workflows/registration';
import type { RegistrationWorkflowInput } from '../../../workflows/shared';

const { loadDeadlinePolicies } = proxyActivities<Activities>({ startToCloseTimeout: '15 seconds' });

export async function registrationWorkflow(input: RegistrationWorkflowInput) {
  if (patched('reload-policies-at-start')) await loadDeadlinePolicies();
  return current(input);
}
