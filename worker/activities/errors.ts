/**
 * What an activity's failure means to the workflow. A database refusing the data itself (SQLSTATE
 * class 22, data exception, e.g. NUL in text; class 23, integrity constraint) will refuse every
 * retry the same way: such a failure is non-retryable, so the workflow hears of it at once and
 * can refuse the decision instead of retrying forever. Anything else (connection lost, deadlock,
 * timeout) stays retryable.
 */
import { ApplicationFailure } from '@temporalio/activity';

export const DATA_REJECTED = 'DataRejected';
export const DECISION_REFUSED = 'DecisionRefused';

const sqlStateOf = (err: unknown): string | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
};

export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== null && (state.startsWith('22') || state.startsWith('23'));
}

/** The error as the activity should throw it: data errors become non-retryable failures. */
export function classifyActivityError(err: unknown): unknown {
  if (err instanceof ApplicationFailure || !isDataError(err)) return err;
  const e = err as Error & { code: string };
  return ApplicationFailure.create({
    type: DATA_REJECTED,
    message: `数据库拒绝了该数据（${e.code}）/ The database refused the data (${e.code}): ${e.message}`,
    nonRetryable: true,
    cause: e,
  });
}

/** A decision the current data does not allow (a stale version, a signature that no longer matches): told to the actor, never retried. */
export const decisionRefused = (message: string) => ApplicationFailure.create({ type: DECISION_REFUSED, message, nonRetryable: true });

/** Every function of `activities`, with its errors classified. */
export function withClassifiedErrors<T extends Record<string, (...args: any[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          throw classifyActivityError(err);
        }
      },
    ]),
  ) as T;
}
