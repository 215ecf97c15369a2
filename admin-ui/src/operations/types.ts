/** GET /api/operations (api/usecases/operations.ts), as the page reads it. */
export interface Links {
  temporal: string | null;
}
export interface FailingActivity {
  registrationId: string;
  registrationName: string | null;
  workflowId: string;
  activityType: string;
  state: string;
  attempt: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  links: Links;
}
export interface StuckRegistration {
  registrationId: string;
  registrationName: string;
  schoolName: string;
  taskId: string;
  step: string;
  dueAt: string;
  overdueSeconds: number;
  links: Links;
}
interface Check {
  ok: boolean;
  error?: string;
}
export interface OperationsView {
  checkedAt: string;
  health: {
    postgres: Check & { latencyMs: number | null };
    temporal: Check;
    workers: Check & { taskQueue: string; workflowPollers: unknown[]; activityPollers: unknown[] };
  };
  stuck: StuckRegistration[];
  failingActivities: FailingActivity[];
  scanned: { described: number; truncated: boolean };
  outbox: { configured: boolean; pending: number; failed: number; oldestPendingAt: string | null; lastError: string | null };
}
