/** Roles and what each may do: the one table every route consults. */
import { ROLES, type Role } from '../domain/process/vocabulary';
export { ROLES, type Role };

export const RIGHTS = {
  'registrations.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'registrations.write': ['school_staff'],
  'registrations.submit': ['school_staff'],
  'registrations.delete': ['school_staff', 'admin'],
  'tasks.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'tasks.act': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver'],
  'catalog.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'schools.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'schools.write': ['admin'],
  'schools.stamp': ['admin', 'principal'],
  'files.upload': ['school_staff', 'lead_school_leader', 'principal', 'admin'],
  'files.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'users.read': ['admin'],
  'users.write': ['admin'],
  'policies.read': ['bureau_approver', 'admin'],
  'policies.write': ['admin'],
  'formFields.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'formFields.write': ['admin'],
  'audit.read': ['bureau_approver', 'admin'],
  'notifications.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'dashboard.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'reviews.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'reviews.plan': ['bureau_approver', 'admin'],
  'operations.read': ['admin'],
  'imports.run': ['admin'],
  'overview.read': ['bureau_approver', 'admin'],
  'tasks.transfer': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'tasks.urge': ['school_staff', 'bureau_approver'],
  'delegations.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'delegations.write': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'calendar.read': ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'],
  'calendar.write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Right = keyof typeof RIGHTS;

export function can(roles: readonly string[], right: Right): boolean {
  const allowed: readonly string[] = RIGHTS[right];
  return roles.some((r) => allowed.includes(r));
}

/** Roles whose scope is one school; the others see their whole district (bureau) or everything (admin). */
export const SCHOOL_SCOPED_ROLES: readonly Role[] = ['school_staff', 'lead_school_leader', 'principal'];
