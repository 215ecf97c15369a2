/**
 * Who may see and do what in the console: one pure function that decides the menu, the buttons
 * and the routes. Resource rights mirror the API's rights table (api/rights.ts); every process
 * rule (which status allows which button, who acts at a step) is the server's own, imported from
 * domain/process (the `@process` alias), so the console and the server cannot disagree.
 */
import { registrationActionRefusal, ROLES, STEP_RULES, taskActionRefusal, WITHDRAWABLE_STATUSES, type Role, type TaskStep } from '@process';

export { ROLES, type Role };

export interface Viewer {
  id: number;
  roles: readonly string[];
  schoolId: number | null;
  /** Sent by the server at sign-in; unknown in sessions from before it was. */
  districtId?: number | null;
}

export type Action =
  | 'list'
  | 'show'
  | 'create'
  | 'edit'
  | 'delete'
  | 'export'
  | 'submit'
  | 'withdraw'
  | 'claim'
  | 'complete'
  | 'bulk'
  | 'stamp'
  | 'verify';

export interface AccessQuery {
  resource: string;
  action: string;
  record?: Record<string, any>;
}

const ALL: readonly Role[] = ROLES;

/** Resource × action → roles. A resource missing here is not shown to anyone. */
const RULES: Record<string, Partial<Record<Action, readonly Role[]>>> = {
  registrations: {
    list: ALL,
    show: ALL,
    export: ALL,
    create: ['school_staff'],
    edit: ['school_staff'],
    delete: ['school_staff'],
    submit: ['school_staff'],
    withdraw: ['school_staff'],
  },
  tasks: {
    list: ALL,
    show: ALL,
    claim: ['lead_school_leader', 'principal', 'bureau_approver', 'school_staff'],
    complete: ['lead_school_leader', 'principal', 'bureau_approver', 'school_staff'],
    bulk: ['bureau_approver'],
    export: ALL,
  },
  'party-types': { list: ALL, show: ALL },
  schools: { list: ['admin'], show: ['admin'], create: ['admin'], edit: ['admin'], delete: ['admin'], stamp: ['admin', 'principal'] },
  users: { list: ['admin'], show: ['admin'], create: ['admin'], edit: ['admin'], delete: ['admin'] },
  'deadline-policies': { list: ['admin', 'bureau_approver'], show: ['admin', 'bureau_approver'], edit: ['admin'] },
  'form-fields': { list: ['admin'], show: ['admin'], create: ['admin'], edit: ['admin'], delete: ['admin'] },
  'audit-events': { list: ['admin', 'bureau_approver'], show: ['admin', 'bureau_approver'], verify: ['admin', 'bureau_approver'], export: ['admin', 'bureau_approver'] },
  districts: { list: ['admin'], show: ALL },
  'goal-reviews': { list: ALL, show: ALL },
  'review-planning': { list: ['bureau_approver', 'admin'] },
  operations: { list: ['admin'] },
  overview: { list: ['bureau_approver', 'admin'] },
  imports: { list: ['admin'], create: ['admin'] },
};

/** Registration statuses in which the drafter may still withdraw (before approval). */
export const WITHDRAWABLE: readonly string[] = WITHDRAWABLE_STATUSES;

/** The role that acts at each task step. */
export const STEP_ROLE = Object.fromEntries(Object.entries(STEP_RULES).map(([step, rule]) => [step, rule.role])) as Record<TaskStep, Role>;

const has = (viewer: Viewer, roles: readonly Role[] | undefined) => !!roles && viewer.roles.some((r) => (roles as readonly string[]).includes(r));

/** Record-level conditions: the process rules over the record as the console shows it. */
function recordAllows(viewer: Viewer, resource: string, action: string, record: Record<string, any>): boolean {
  if (resource === 'registrations' && (action === 'edit' || action === 'delete' || action === 'submit' || action === 'withdraw')) {
    return registrationActionRefusal(viewer, action, { status: record.status, schoolId: record.schoolId, signatureId: record.signatureId, submittedAt: record.submittedAt }) === null;
  }
  if (resource === 'tasks' && (action === 'claim' || action === 'complete' || action === 'bulk')) {
    return taskActionRefusal(viewer, { status: record.status, step: record.step, schoolId: record.schoolId ?? null, districtId: record.districtId, claimedBy: record.claimedBy, assigneeUserId: record.assigneeUserId }) === null;
  }
  if (resource === 'schools' && action === 'stamp') {
    return viewer.roles.includes('admin') || (viewer.roles.includes('principal') && viewer.schoolId === record.id);
  }
  return true;
}

export function canAccess(viewer: Viewer | null | undefined, { resource, action, record }: AccessQuery): boolean {
  if (!viewer) return false;
  if (!has(viewer, RULES[resource]?.[action as Action])) return false;
  return record ? recordAllows(viewer, resource, action, record) : true;
}

/** The settings resources (系统设置) that only administrators manage. */
export const ADMIN_RESOURCES = ['users', 'schools', 'form-fields'];
