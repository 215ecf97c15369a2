/** Every workflow type the worker registers. */
export { registrationWorkflow } from './registration';
