/** Every workflow type the worker registers. */
export { registrationWorkflow } from './registration';
export { bulkDecisionWorkflow } from './bulk-decision';
