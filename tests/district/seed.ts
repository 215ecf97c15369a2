/** Rows for the read-only district suites, written straight to the database (the overview and exports only read). */
import type { Db } from '../../db/connection';
import { addDays, todayIn } from '../../domain/registrations/dates';

export async function insertAlliance(
  db: Db,
  opts: { schoolId: number; createdBy?: number; name: string; status: string; parties?: string[]; goalsInDays?: number[]; currentStep?: string | null },
): Promise<string> {
  const [{ id }] = await db('registrations')
    .insert({
      schoolId: opts.schoolId,
      name: opts.name,
      legalRepresentative: '王校长',
      formedOn: '2026-09-01',
      introduction: '介绍',
      status: opts.status,
      currentStep: opts.currentStep ?? null,
      createdBy: opts.createdBy ?? null,
      approvedAt: ['active', 'goal_review', 'rectification'].includes(opts.status) ? new Date() : null,
    })
    .returning('id');
  const parties = opts.parties ?? [];
  if (parties.length) {
    await db('memberUnits').insert(parties.map((partyType, i) => ({ registrationId: id, position: i, name: `${opts.name}-成员${i}`, partyType })));
  }
  const goals = opts.goalsInDays ?? [];
  if (goals.length) {
    const today = todayIn();
    await db('goals').insert(goals.map((d, i) => ({ registrationId: id, position: i, title: `${opts.name}-目标${i}`, targetDate: addDays(today, d) })));
  }
  return id;
}

export async function insertTask(db: Db, opts: { registrationId: string; step: string; schoolId: number; districtId: number; dueInHours: number; round?: number; status?: string }) {
  await db('tasks').insert({
    registrationId: opts.registrationId,
    step: opts.step,
    round: opts.round ?? 1,
    assigneeRole: opts.step === 'bureau_approval' ? 'bureau_approver' : 'principal',
    schoolId: opts.schoolId,
    districtId: opts.districtId,
    dueAt: new Date(Date.now() + opts.dueInHours * 3600_000),
    overdue: opts.dueInHours < 0,
    status: opts.status ?? 'open',
  });
}
