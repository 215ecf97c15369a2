/**
 * 抄送 settings on a deadline policy (ccRoles, ccUserIds, ccWhen) — pure rules, no I/O.
 *
 * The cc settings live on the policies of the approval chain's steps (lead_school_opinion,
 * principal_signature, bureau_approval):
 * - `submit`: when the registration enters the chain (each submission or resubmission), every chain
 *   step's policy that says `submit` or `both` copies its people;
 * - `approve`: when that step is passed (the lead school's opinion, the principal's signature, the
 *   bureau's approval), the step's own policy copies its people if it says `approve` or `both`.
 * Roles are resolved within the registration's scope (school roles at its lead school, the bureau of
 * its district, administrators everywhere); named users are copied wherever they are.
 */
import { ROLES, type TaskStep } from '../process/vocabulary';

export const CC_WHEN = ['submit', 'approve', 'both'] as const;
export type CcWhen = (typeof CC_WHEN)[number];

/** The steps whose policy may copy. */
export const CC_STEPS: readonly TaskStep[] = ['lead_school_opinion', 'principal_signature', 'bureau_approval'];

export interface CcSettings {
  ccRoles: string[];
  ccUserIds: number[];
  ccWhen: CcWhen | null;
}

export const NO_CC: CcSettings = { ccRoles: [], ccUserIds: [], ccWhen: null };

export const ccApplies = (cc: CcSettings, occasion: 'submit' | 'approve') =>
  (cc.ccRoles.length > 0 || cc.ccUserIds.length > 0) && (cc.ccWhen === occasion || cc.ccWhen === 'both');

export const CC_ROLES = ROLES;
