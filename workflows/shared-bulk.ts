/** What the bulk-decision job and its callers exchange (no workflow or Node imports: both sides load it). */
export interface BulkDecisionInput {
  actorId: number;
  ids: string[];
  action: string;
  comment: string | null;
  payload: Record<string, unknown> | null;
}

export interface BulkItemOutcome {
  id: string;
  ok: boolean;
  status: number;
  code?: string;
  message?: string;
  errors?: Record<string, string>;
  /** Not decided for a passing reason (the workflow service or the database away): the job sends it again. */
  retry?: boolean;
}

/** One activity's share of a job: items decided side by side. */
export interface BulkBatchInput {
  actorId: number;
  taskIds: string[];
  action: string;
  comment: string | null;
  payload: Record<string, unknown> | null;
  /** Items sent before (a retry): an earlier Update of theirs may have got through. */
  retried?: string[];
}

export const bulkWorkflowId = (jobId: string) => `bulk-decision-${jobId}`;
export const BULK_WORKFLOW_TYPE = 'bulkDecisionWorkflow';
