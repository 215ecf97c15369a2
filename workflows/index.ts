/** Every workflow type the worker registers. */
export { registrationWorkflow } from './registration';
export { policyPropagationWorkflow } from './policy-propagation';
export { bulkDecisionWorkflow } from './bulk-decision';
