/**
 * ra-data-simple-rest over /api, unmodified, with two additions the screens need:
 * - registrations filtered by `overdue`: the API filters tasks by overdue, so the ids of
 *   registrations with an overdue open task are looked up first;
 * - the custom calls of the process (submit, withdraw, claim, complete, bulk, timeline, …).
 */
import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, GetListParams } from 'react-admin';
import { API_URL, apiCall, httpClient } from './httpClient';

const base = simpleRestProvider(API_URL, httpClient);

async function overdueRegistrationIds(): Promise<string[]> {
  const { data } = await base.getList('tasks', {
    filter: { overdue: true, status: 'open' },
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'dueAt', order: 'ASC' },
  });
  return [...new Set(data.map((t) => t.registrationId as string))];
}

export interface BulkItemResult {
  id: string;
  ok: boolean;
  status: number;
  code?: string;
  message?: string;
  errors?: Record<string, string>;
}

export const dataProvider = {
  ...base,
  async getList(resource: string, params: GetListParams) {
    if (resource === 'registrations' && params.filter?.overdue !== undefined) {
      const { overdue, ...filter } = params.filter;
      if (overdue === true) {
        const ids = await overdueRegistrationIds();
        if (ids.length === 0) return { data: [], total: 0 };
        return base.getList(resource, { ...params, filter: { ...filter, id: ids } });
      }
      return base.getList(resource, { ...params, filter });
    }
    return base.getList(resource, params);
  },
  submitRegistration: (id: string) => apiCall(`/registrations/${id}/submit`, { method: 'POST', body: {} }),
  withdrawRegistration: (id: string, reason?: string) => apiCall(`/registrations/${id}/withdraw`, { method: 'POST', body: { reason: reason || null } }),
  timeline: (id: string) => apiCall<Timeline>(`/registrations/${id}/timeline`),
  signature: (id: string) => apiCall<SignatureVerification>(`/registrations/${id}/signature`),
  claimTask: (id: string) => apiCall(`/tasks/${id}/claim`, { method: 'POST', body: {} }),
  unclaimTask: (id: string) => apiCall(`/tasks/${id}/unclaim`, { method: 'POST', body: {} }),
  completeTask: (id: string, body: { action: string; comment?: string | null; payload?: Record<string, unknown> }) =>
    apiCall(`/tasks/${id}/complete`, { method: 'POST', body }),
  bulkTasks: (body: { ids: string[]; action: string; comment?: string | null }) =>
    apiCall<{ results: BulkItemResult[]; succeeded: number; failed: number }>('/tasks/bulk', { method: 'POST', body }),
  /** A server-side bulk job (it goes on if the tab is closed); its progress comes from bulkJob. */
  startBulkJob: (body: { ids: string[]; action: string; comment?: string | null }) => apiCall<BulkJob>('/bulk-jobs', { method: 'POST', body }),
  bulkJob: (id: string) => apiCall<BulkJob>(`/bulk-jobs/${id}`),
  copiedUnreadCount: () => apiCall<{ unread: number }>('/copies/unread-count'),
  /** 加签: who may be added, and adding them. */
  approverCandidates: (id: string) => apiCall<{ id: number; name: string; username: string }[]>(`/tasks/${id}/approver-candidates`),
  addApprover: (id: string, body: { userId: number; position: 'before' | 'after'; reason: string }) => apiCall(`/tasks/${id}/add-approver`, { method: 'POST', body }),
  verifyAuditChain: () => apiCall<{ ok: boolean; checked: number; message: string; firstBrokenId: string | null }>('/audit-events/verify'),
} satisfies DataProvider;

export type AppDataProvider = typeof dataProvider;

export interface BulkJob {
  id: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  finished: boolean;
  results: (BulkItemResult | null)[];
}

export interface TimelineEntry {
  step: string;
  round: number;
  action: string;
  actorId: number | null;
  actorName: string | null;
  comment: string | null;
  at: string;
  /** 委托: the user a delegate acted for; 转交: the user the task went to. */
  onBehalfOfName?: string | null;
  toUserName?: string | null;
  /** 抄送 entries: how many were copied, and who. */
  count?: number;
  names?: string[];
}

export interface Timeline {
  registrationId: string;
  started: boolean;
  status: string;
  phase: string;
  round: number;
  openTask: { taskId: string; step: string; assigneeRole: string; startedAt: string; dueAt: string | null; remindAt: string | null; overdue: boolean; assigneeName?: string | null; onBehalfOfName?: string | null } | null;
  history: TimelineEntry[];
  /** The tasks of a step holding several (会签/或签, 加签). */
  stepTasks?: {
    step: string;
    round: number;
    mode: 'single' | 'all' | 'any';
    tasks: { taskId: string; slot: number; taskStatus: 'open' | 'waiting' | 'done' | 'cancelled'; kind: 'approver' | 'added'; assigneeUserId?: number | null; assigneeName?: string | null; position?: 'before' | 'after' | null; pendingAfter?: { userId: number; name: string }[] }[];
  } | null;
  approvedAt: string | null;
  reviewDueAt: string | null;
}

export interface SignatureVerification {
  verdict: 'valid' | 'content_changed' | 'invalid';
  record: { id: string; signerId: number; signerName?: string | null; signedAt: string; signatureFileId: string; stampFileId: string; voidedAt?: string | null };
  checks: Record<string, boolean>;
}
