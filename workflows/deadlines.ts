/** The deadline arithmetic is part of the process rules (domain/process); re-exported for the workflow's imports. */
export { deadlinesFrom, STEP_LABELS, type Deadlines } from '../domain/process/deadlines';
