/**
 * Bulk decisions as server-side jobs: POST starts a bulkDecisionWorkflow (workflows/bulk-decision.ts)
 * and answers its id at once; GET answers its progress and per-item results from the workflow's
 * query. Only the user who started a job (or an administrator) may read it.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { UUID_RE } from '../../domain/validation';
import { bulkProgressQuery, type BulkProgress } from '../../workflows/bulk-decision';
import { BULK_WORKFLOW_TYPE, bulkWorkflowId, type BulkDecisionInput } from '../../workflows/shared-bulk';
import { TASK_ACTIONS } from '../../workflows/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { parseBody } from './input';

const WHAT = '批量任务 / Bulk job';
export const BULK_JOB_MAX_ITEMS = 1000;

export const bulkJobBodySchema = z.object({
  ids: z.array(z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id')).min(1).max(BULK_JOB_MAX_ITEMS),
  action: z.enum(TASK_ACTIONS),
  comment: z.string().trim().max(2000).nullish(),
  payload: z.record(z.string(), z.unknown()).nullish(),
});

export interface BulkJob extends BulkProgress {
  id: string;
}

export async function startBulkJob(deps: Pick<AppDeps, 'temporal' | 'config'>, actor: Actor, rawBody: unknown): Promise<BulkJob> {
  const body = parseBody(bulkJobBodySchema, rawBody);
  const ids = [...new Set(body.ids)];
  const input: BulkDecisionInput = { actorId: actor.id, ids, action: body.action, comment: body.comment ?? null, payload: body.payload ?? null };
  const id = randomUUID();
  try {
    await deps.temporal.workflow.start(BULK_WORKFLOW_TYPE, { workflowId: bulkWorkflowId(id), taskQueue: deps.config.TEMPORAL_TASK_QUEUE, args: [input] });
  } catch {
    throw new AppError(503, 'unavailable', '流程服务暂时不可用 / The process service is unavailable');
  }
  return { id, actorId: actor.id, action: body.action, total: ids.length, done: 0, succeeded: 0, failed: 0, finished: false, results: ids.map(() => null) };
}

export async function getBulkJob(deps: Pick<AppDeps, 'temporal'>, actor: Actor, id: string): Promise<BulkJob> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  let progress: BulkProgress;
  try {
    progress = await deps.temporal.workflow.getHandle(bulkWorkflowId(id)).query(bulkProgressQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw AppError.notFound(WHAT);
    throw new AppError(503, 'unavailable', '流程服务暂时不可用 / The process service is unavailable');
  }
  if (progress.actorId !== actor.id && !actor.roles.includes('admin')) throw AppError.notFound(WHAT);
  return { id, ...progress };
}
