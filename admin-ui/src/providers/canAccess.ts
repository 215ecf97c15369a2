/**
 * Who may see and do what in the console: one pure function that decides the menu, the buttons
 * and the routes. It mirrors the API's rights table (api/rights.ts); the server still has the
 * last word on every request.
 */
export const ROLES = ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Viewer {
  id: number;
  roles: readonly string[];
  schoolId: number | null;
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
const SCHOOL_ROLES: readonly Role[] = ['school_staff', 'lead_school_leader', 'principal'];

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
  overview: { list: ['bureau_approver', 'admin'] },
  imports: { list: ['admin'], create: ['admin'] },
};

/** Registration statuses in which the drafter may still withdraw (before approval). */
export const WITHDRAWABLE = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval'];

/** The role that acts at each task step. */
export const STEP_ROLE: Record<string, Role> = {
  lead_school_opinion: 'lead_school_leader',
  principal_signature: 'principal',
  bureau_approval: 'bureau_approver',
  goal_report: 'school_staff',
  goal_rating: 'bureau_approver',
};

const has = (viewer: Viewer, roles: readonly Role[] | undefined) => !!roles && viewer.roles.some((r) => (roles as readonly string[]).includes(r));

/** Record-level conditions: the status a button applies to, and the school scope. */
function recordAllows(viewer: Viewer, resource: string, action: string, record: Record<string, any>): boolean {
  if (resource === 'registrations') {
    const ownSchool = viewer.schoolId != null && viewer.schoolId === record.schoolId;
    switch (action) {
      case 'edit':
        // A signed registration awaiting the bureau may be edited too: the edit voids the signature.
        return ownSchool && (record.status === 'draft' || (record.status === 'bureau_approval' && record.signatureId != null));
      case 'delete':
        return ownSchool && record.status === 'draft' && !record.submittedAt;
      case 'submit':
        return ownSchool && record.status === 'draft';
      case 'withdraw':
        return ownSchool && WITHDRAWABLE.includes(record.status);
      default:
        return true;
    }
  }
  if (resource === 'tasks' && (action === 'claim' || action === 'complete' || action === 'bulk')) {
    if (record.status !== 'open') return false;
    if (!viewer.roles.includes(STEP_ROLE[record.step])) return false;
    if (record.claimedBy != null && record.claimedBy !== viewer.id) return false;
    const schoolStep = SCHOOL_ROLES.includes(STEP_ROLE[record.step]);
    return !schoolStep || (viewer.schoolId != null && viewer.schoolId === record.schoolId);
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
