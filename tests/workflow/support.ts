/**
 * Builders for the workflow, inbox and replay tests: a school with every role (and a stamp, so the
 * principal can sign), a drafted registration, acting on tasks through the API with real tokens,
 * and waiting for what the workflow does in the background.
 */
import type { Actor } from '../../api/middleware/auth';
import type { Db } from '../../db/connection';
import { DEFAULT_DEADLINE_POLICIES } from '../../domain/policies/defaults';
import { giveDemoStamps } from '../../domain/signing/demo-stamp';
import type { PolicyKey, TaskStep } from '../../workflows/shared';
import { dataUrlOf, signaturePng } from '../signing/support';
import { createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';
import { api, tokenFor, type TestSystem } from '../support/harness';

export interface Cast {
  school: { id: number; districtId: number; name: string };
  staff: Actor;
  leader: Actor;
  principal: Actor;
  bureau: Actor;
  admin: Actor;
}

/** A school with staff, leader and principal, its stamp, and a bureau approver of its district. */
export async function createCast(db: Db, opts: { districtId?: number } = {}): Promise<Cast> {
  const { school, staff, leader, principal } = await createSchoolWithStaff(db, opts);
  await giveDemoStamps(db, [school.id]);
  const bureau = await createUser(db, { roles: ['bureau_approver'], districtId: school.districtId });
  const admin = await createUser(db, { roles: ['admin'] });
  return { school, staff, leader, principal, bureau, admin };
}

export function as(sys: TestSystem, actor: Actor) {
  const token = tokenFor(sys.config, actor);
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>) => api(sys, method, path, { token, body, headers });
}

export async function draftRegistration(sys: TestSystem, staff: Actor): Promise<string> {
  const res = await as(sys, staff)('POST', '/api/registrations', validRegistrationBody());
  if (res.status !== 201) throw new Error(`draft failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function submit(sys: TestSystem, staff: Actor, registrationId: string) {
  return as(sys, staff)('POST', `/api/registrations/${registrationId}/submit`);
}

/** The open task of a step, straight from the inbox table. */
export async function openTaskOf(db: Db, registrationId: string, step: TaskStep) {
  return db('tasks').where({ registrationId, step, status: 'open' }).first();
}

export async function tasksOf(db: Db, registrationId: string) {
  return db('tasks').where({ registrationId }).orderBy('createdAt');
}

export async function complete(sys: TestSystem, actor: Actor, taskId: string, action: string, extra: { comment?: string; payload?: Record<string, unknown> } = {}, headers?: Record<string, string>) {
  return as(sys, actor)('POST', `/api/tasks/${taskId}/complete`, { action, ...extra }, headers);
}

export const signaturePayload = () => ({ signatureImage: dataUrlOf(signaturePng()) });

/** Acts on the step's open task and expects success; answers the response body. */
export async function act(sys: TestSystem, actor: Actor, registrationId: string, step: TaskStep, action: string, extra: { comment?: string; payload?: Record<string, unknown> } = {}) {
  const task = await openTaskOf(sys.db, registrationId, step);
  if (!task) throw new Error(`no open ${step} task for ${registrationId}`);
  const res = await complete(sys, actor, task.id, action, extra);
  if (res.status !== 200) throw new Error(`${action} on ${step} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Drafts, submits, gives the opinion and signs: the registration awaits the bureau. */
export async function throughSigning(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await draftRegistration(sys, cast.staff);
  const submitted = await submit(sys, cast.staff, id);
  if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
  await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
  return id;
}

export async function registrationRow(db: Db, id: string) {
  return db('registrations').where({ id }).first();
}

export async function goalIdsOf(db: Db, registrationId: string): Promise<string[]> {
  return db('goals').where({ registrationId }).orderBy('position').pluck('id');
}

export const reportPayload = (goalIds: string[]) => ({
  goals: goalIds.map((goalId, i) => ({ goalId, status: i === 0 ? 'achieved' : 'in_progress', narrative: `目标 ${i + 1} 的完成情况说明`, evidenceFileIds: [] })),
});
export const ratingPayload = (goalIds: string[], overall: 'pass' | 'conditional' | 'fail') => ({
  ratings: goalIds.map((goalId) => ({ goalId, rating: overall })),
  overall,
});

/** Polls until `check` answers something truthy, or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A policy in seconds counts no working days or months (the table allows one due unit). */
const SECONDS_ONLY = { dueWorkingDays: null, dueWorkingHours: null, dueMonths: null, remindBeforeWorkingDays: null };

/**
 * Sets policies in the table directly (no signal): what new steps and periods will use. Tests that
 * shorten a period restore the defaults the same way, so no workflow in flight is moved by it.
 */
export async function setPolicyRow(db: Db, step: PolicyKey, change: { dueSeconds: number; remindBeforeSeconds?: number; escalateToRole?: string | null }) {
  await db('deadlinePolicies')
    .where({ step })
    .update({ dueSeconds: change.dueSeconds, remindBeforeSeconds: change.remindBeforeSeconds ?? 0, ...SECONDS_ONLY, ...(change.escalateToRole !== undefined ? { escalateToRole: change.escalateToRole } : {}) });
}

export async function restoreDefaultPolicies(db: Db) {
  for (const [step, p] of Object.entries(DEFAULT_DEADLINE_POLICIES)) {
    await db('deadlinePolicies').where({ step }).update({ dueSeconds: p.dueSeconds, remindBeforeSeconds: p.remindBeforeSeconds, escalateToRole: p.escalateToRole, ...SECONDS_ONLY });
  }
}

export async function auditActions(db: Db, registrationId: string): Promise<string[]> {
  return db('auditEvents').where({ registrationId }).orderBy('id').pluck('action');
}
