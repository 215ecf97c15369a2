/**
 * The school scope of an actor, decided server-side from the token: school roles see their own
 * school, a bureau approver the schools of their district, an administrator everything.
 */
import type { RegistrationScope } from '../../domain/registrations/repository';
import type { Actor } from '../middleware/auth';
import { SCHOOL_SCOPED_ROLES } from '../rights';

export function registrationScopeOf(actor: Actor): RegistrationScope {
  if (actor.roles.includes('admin')) return { all: true };
  const schoolRole = actor.roles.some((r) => SCHOOL_SCOPED_ROLES.includes(r));
  const bureau = actor.roles.includes('bureau_approver');
  return {
    all: false,
    schoolId: schoolRole ? actor.schoolId : null,
    districtId: bureau ? actor.districtId : null,
  };
}

/** Schools an actor may read: their own school and the schools of their district (everything for admin). */
export function schoolScopeOf(actor: Actor): RegistrationScope {
  if (actor.roles.includes('admin')) return { all: true };
  return { all: false, schoolId: actor.schoolId, districtId: actor.districtId };
}
