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
}

export const bulkWorkflowId = (jobId: string) => `bulk-decision-${jobId}`;
export const BULK_WORKFLOW_TYPE = 'bulkDecisionWorkflow';
