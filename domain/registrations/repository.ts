/**
 * Data access for registrations with their member units and goals: plain objects in the API
 * vocabulary. Shared by the API and the worker's activities.
 */
import type { Knex } from 'knex';
import { containsPattern, whereOneOrMany } from '../../db/query';
import { sha256, stableStringify } from '../audit';
import { toDateString } from './dates';
import type { Registration, RegistrationFilter } from './schema';
import type { ValidRegistration } from './validate';

type Conn = Knex | Knex.Transaction;

/** Which registrations an actor may see: everything, or one school and/or one district. */
export type RegistrationScope = { all: true } | { all: false; schoolId: number | null; districtId: number | null };

export const REGISTRATION_SORTABLE: Record<string, string> = {
  id: 'r.id',
  name: 'r.name',
  status: 'r.status',
  currentStep: 'r.currentStep',
  step: 'r.currentStep',
  formedOn: 'r.formedOn',
  schoolId: 'r.schoolId',
  schoolName: 's.name',
  version: 'r.version',
  submittedAt: 'r.submittedAt',
  approvedAt: 'r.approvedAt',
  reviewDueAt: 'r.reviewDueAt',
  createdAt: 'r.createdAt',
  updatedAt: 'r.updatedAt',
};

/** registrations r joined to their lead school s, narrowed to the scope. */
export function scopedRegistrations(db: Conn, scope: RegistrationScope): Knex.QueryBuilder {
  const qb = db('registrations as r').join('schools as s', 's.id', 'r.schoolId');
  if (scope.all) return qb;
  return qb.where((w) => {
    w.whereRaw('false');
    if (scope.schoolId != null) w.orWhere('r.schoolId', scope.schoolId);
    if (scope.districtId != null) w.orWhere('s.districtId', scope.districtId);
  });
}

export function applyRegistrationFilter(qb: Knex.QueryBuilder, filter: RegistrationFilter): Knex.QueryBuilder {
  whereOneOrMany(qb, 'r.id', filter.id);
  whereOneOrMany(qb, 'r.status', filter.status);
  whereOneOrMany(qb, 'r.currentStep', filter.step);
  whereOneOrMany(qb, 'r.schoolId', filter.schoolId);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    qb.where((w) => w.whereILike('r.name', pattern).orWhereILike('s.name', pattern).orWhereILike('r.introduction', pattern));
  }
  return qb;
}

const SELECT = ['r.*', 's.name as schoolName'];

interface RegistrationRow {
  id: string;
  schoolId: number;
  schoolName: string;
  name: string;
  legalRepresentative: string;
  formedOn: Date | string;
  memberSchools: { name: string }[];
  introduction: string;
  leadSchoolOpinion: string | null;
  remarks: string | null;
  extra: Record<string, unknown>;
  status: Registration['status'];
  currentStep: string | null;
  version: number;
  signatureId: string | null;
  submittedAt: Date | null;
  approvedAt: Date | null;
  reviewDueAt: Date | null;
  closedAt: Date | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** Rows → API records, loading member units and goals for all of them in two queries. */
export async function hydrate(db: Conn, rows: RegistrationRow[]): Promise<Registration[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [units, goals] = await Promise.all([
    db('memberUnits').whereIn('registrationId', ids).orderBy(['registrationId', 'position']),
    db('goals').whereIn('registrationId', ids).orderBy(['registrationId', 'position']),
  ]);
  const byRegistration = <T extends { registrationId: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.registrationId, [...(map.get(item.registrationId) ?? []), item]);
    return map;
  };
  const unitsOf = byRegistration(units as any[]);
  const goalsOf = byRegistration(goals as any[]);
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.schoolId,
    schoolName: r.schoolName,
    name: r.name,
    legalRepresentative: r.legalRepresentative,
    formedOn: toDateString(r.formedOn)!,
    memberSchools: r.memberSchools ?? [],
    memberUnits: (unitsOf.get(r.id) ?? []).map((u) => ({
      name: u.name,
      partyType: u.partyType,
      contactPerson: u.contactPerson,
      phone: u.phone,
      role: u.role,
      profile: u.profile,
    })),
    introduction: r.introduction,
    goals: (goalsOf.get(r.id) ?? []).map((g) => ({
      id: g.id,
      title: g.title,
      measures: g.measures,
      indicator: g.indicator,
      targetDate: toDateString(g.targetDate),
    })),
    leadSchoolOpinion: r.leadSchoolOpinion,
    remarks: r.remarks,
    extra: r.extra ?? {},
    status: r.status,
    currentStep: r.currentStep,
    version: r.version,
    signatureId: r.signatureId,
    submittedAt: iso(r.submittedAt),
    approvedAt: iso(r.approvedAt),
    reviewDueAt: iso(r.reviewDueAt),
    closedAt: iso(r.closedAt),
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  }));
}

export async function findRegistration(db: Conn, id: string, scope: RegistrationScope = { all: true }): Promise<Registration | null> {
  const row = await scopedRegistrations(db, scope).where('r.id', id).first(SELECT);
  if (!row) return null;
  const [registration] = await hydrate(db, [row as RegistrationRow]);
  return registration;
}

/** One page of registrations and the total, for a list route. */
export async function listRegistrations(
  db: Conn,
  scope: RegistrationScope,
  list: { sort: { field: string; order: 'asc' | 'desc' }; range: { start: number; end: number }; filter: RegistrationFilter },
): Promise<{ rows: Registration[]; total: number }> {
  const base = applyRegistrationFilter(scopedRegistrations(db, scope), list.filter);
  const countRow = (await base.clone().count({ total: '*' }).first()) as { total: string | number } | undefined;
  const rows = (await base
    .clone()
    .select(SELECT)
    .orderBy(REGISTRATION_SORTABLE[list.sort.field] ?? 'r.createdAt', list.sort.order)
    .orderBy('r.id', list.sort.order)
    .offset(list.range.start)
    .limit(list.range.end - list.range.start + 1)) as RegistrationRow[];
  return { rows: await hydrate(db, rows), total: Number(countRow?.total ?? 0) };
}

/** Locks the registration row (in scope) for the rest of the transaction; null when absent or out of scope. */
export async function lockRegistration(
  trx: Knex.Transaction,
  id: string,
  scope: RegistrationScope,
): Promise<{ id: string; schoolId: number; status: Registration['status']; version: number; submittedAt: Date | null; signatureId: string | null } | null> {
  const row = await scopedRegistrations(trx, scope)
    .where('r.id', id)
    .forUpdate('r')
    .first('r.id', 'r.schoolId', 'r.status', 'r.version', 'r.submittedAt', 'r.signatureId');
  return row ?? null;
}

function contentColumns(input: ValidRegistration) {
  return {
    name: input.name,
    legalRepresentative: input.legalRepresentative,
    formedOn: input.formedOn,
    memberSchools: JSON.stringify(input.memberSchools),
    introduction: input.introduction,
    remarks: input.remarks,
    extra: JSON.stringify(input.extra),
  };
}

export async function insertRegistration(
  trx: Knex.Transaction,
  args: { schoolId: number; createdBy: number; input: ValidRegistration },
): Promise<string> {
  const [{ id }] = await trx('registrations')
    .insert({ ...contentColumns(args.input), schoolId: args.schoolId, createdBy: args.createdBy, status: 'draft', version: 1 })
    .returning('id');
  await replaceMemberUnits(trx, id, args.input.memberUnits);
  await replaceGoals(trx, id, args.input.goals);
  return id as string;
}

/** Writes the drafter's content and bumps the version; the caller has locked the row and checked the version. */
export async function updateRegistrationContent(trx: Knex.Transaction, id: string, input: ValidRegistration): Promise<void> {
  await trx('registrations')
    .where({ id })
    .update({ ...contentColumns(input), version: trx.raw('version + 1'), updatedAt: trx.fn.now() });
  await replaceMemberUnits(trx, id, input.memberUnits);
  await replaceGoals(trx, id, input.goals);
}

export async function replaceMemberUnits(trx: Knex.Transaction, registrationId: string, units: ValidRegistration['memberUnits']) {
  await trx('memberUnits').where({ registrationId }).delete();
  if (units.length === 0) return;
  await trx('memberUnits').insert(
    units.map((u, position) => ({
      registrationId,
      position,
      name: u.name,
      partyType: u.partyType,
      contactPerson: u.contactPerson,
      phone: u.phone,
      role: u.role,
      profile: u.profile,
    })),
  );
}

/** Replace-all that keeps a goal's id when the body names one of this registration's goals (reviews refer to goal ids). */
export async function replaceGoals(trx: Knex.Transaction, registrationId: string, goals: ValidRegistration['goals']) {
  const existing = new Set((await trx('goals').where({ registrationId }).pluck('id')) as string[]);
  await trx('goals').where({ registrationId }).delete();
  if (goals.length === 0) return;
  const used = new Set<string>();
  await trx('goals').insert(
    goals.map((g, position) => {
      const keep = g.id && existing.has(g.id) && !used.has(g.id) ? g.id : undefined;
      if (keep) used.add(keep);
      return {
        ...(keep ? { id: keep } : {}),
        registrationId,
        position,
        title: g.title,
        measures: g.measures,
        indicator: g.indicator,
        targetDate: g.targetDate,
      };
    }),
  );
}

export async function deleteRegistration(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('registrations').where({ id }).delete();
}

/** The drafter's content, as hashed into audit events (before/after) — server-owned fields excluded. */
export function registrationContent(r: Registration) {
  return {
    id: r.id,
    schoolId: r.schoolId,
    name: r.name,
    legalRepresentative: r.legalRepresentative,
    formedOn: r.formedOn,
    memberSchools: r.memberSchools,
    memberUnits: r.memberUnits,
    introduction: r.introduction,
    goals: r.goals,
    leadSchoolOpinion: r.leadSchoolOpinion,
    remarks: r.remarks,
    extra: r.extra,
  };
}

export const registrationContentHash = (r: Registration) => sha256(stableStringify(registrationContent(r)));
