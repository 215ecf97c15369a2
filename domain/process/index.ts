/**
 * The registration process as pure rules: vocabulary, transition and rights checks returning typed
 * refusals, deadline arithmetic. No I/O: the workflow, the worker, the API and the console all
 * import it, so no rule is written twice. Lint keeps it free of I/O (eslint.config.mjs).
 */
export * from './vocabulary';
export * from './rules';
export * from './deadlines';
export * from './text';
export * from './assignees';
export * from './steps';
export * from './payloads';
export * from './bilingual';
export * from './audit-actions';
