/**
 * The process rules on their own (domain/process): who may do what, when, with which input, and
 * the deadline arithmetic. Pure functions: no database, no Temporal.
 */
import {
  actorAtStepRefusal,
  completionRefusal,
  deadlinesFrom,
  editVoidsSignature,
  firstUncleanText,
  isCleanText,
  payloadRefusal,
  registrationActionRefusal,
  signedEditRefusal,
  submitRefusal,
  taskActionRefusal,
  withdrawRefusal,
  type WorkflowActor,
} from '../../domain/process';

const scope = { schoolId: 1, districtId: 10 };
const actor = (roles: string[], schoolId: number | null = 1, districtId: number | null = 10): WorkflowActor => ({ id: 7, username: 'u', name: 'U', roles, schoolId, districtId });
const staff = actor(['school_staff']);
const leader = actor(['lead_school_leader']);
const bureau = actor(['bureau_approver'], null, 10);

describe('Who acts at a step', () => {
  test('When the step’s role acts in its own school, then it is allowed; another school or role is forbidden', () => {
    expect(actorAtStepRefusal(leader, 'lead_school_opinion', scope)).toBeNull();
    expect(actorAtStepRefusal(actor(['lead_school_leader'], 2), 'lead_school_opinion', scope)?.kind).toBe('forbidden');
    expect(actorAtStepRefusal(staff, 'lead_school_opinion', scope)?.kind).toBe('forbidden');
  });

  test('When the bureau acts, then only its own district counts', () => {
    expect(actorAtStepRefusal(bureau, 'bureau_approval', scope)).toBeNull();
    expect(actorAtStepRefusal(actor(['bureau_approver'], null, 11), 'bureau_approval', scope)?.message).toMatch(/本区.*district/);
  });
});

describe('Decisions on the open task', () => {
  const position = { phase: 'lead_school_opinion' as const, status: 'lead_school_opinion', openTask: { taskId: 't1', step: 'lead_school_opinion' as const } };
  const opinion = (text: string) => ({ taskId: 't1', action: 'opinion' as const, payload: { opinion: text }, actor: leader });

  test('When the right actor gives an opinion on the open task, then it is allowed', () => {
    expect(completionRefusal(position, false, scope, opinion('同意'))).toBeNull();
  });

  test('When the task is not the open one, or another action is in flight, then it is a conflict', () => {
    expect(completionRefusal(position, false, scope, { ...opinion('同意'), taskId: 't0' })?.kind).toBe('conflict');
    expect(completionRefusal(position, true, scope, opinion('同意'))?.kind).toBe('conflict');
  });

  test('When the action does not belong to the step, then it is a conflict naming the allowed actions', () => {
    const refusal = completionRefusal(position, false, scope, { ...opinion('同意'), action: 'approve' });
    expect(refusal).toMatchObject({ kind: 'conflict' });
    expect(refusal?.message).toContain('opinion, return');
  });

  test('When the opinion holds a NUL, a C0 control character or an unpaired surrogate, then it is invalid input', () => {
    for (const poison of ['ok\u0000', 'a\u0007b', 'x\uD800', '\uDC00y']) {
      expect(completionRefusal(position, false, scope, opinion(poison))).toMatchObject({ kind: 'invalid', field: 'payload.opinion' });
    }
  });

  test('When text holds tabs, line breaks or a whole emoji, then it is clean', () => {
    expect(isCleanText('第一行\n第二行\t😀\r\n')).toBe(true);
    expect(completionRefusal(position, false, scope, opinion('同意\n😀'))).toBeNull();
  });

  test('When a comment is poisoned, then the path of the bad text is named', () => {
    expect(payloadRefusal({ action: 'return', comment: 'x\u0001' })).toMatchObject({ kind: 'invalid', field: 'comment' });
    expect(firstUncleanText({ goals: [{ narrative: 'ok' }, { narrative: 'bad\u0000' }] })).toBe('goals.1.narrative');
  });

  test('When a return or rejection has no comment, then it is invalid', () => {
    expect(payloadRefusal({ action: 'return', comment: '  ' })?.kind).toBe('invalid');
    expect(payloadRefusal({ action: 'reject', comment: '理由' })).toBeNull();
  });

  test('When a rating misses the overall verdict, then it is invalid', () => {
    expect(payloadRefusal({ action: 'rate', payload: { ratings: [{ goalId: '5b1c7a52-8f3e-4c1a-9d2b-0e6f4a3b2c1d', rating: 'pass' }] } })?.field).toBe('payload.overall');
  });
});

describe('The drafter’s messages', () => {
  test('When the drafter submits a draft, then it is allowed; anything but a draft is a conflict; another role is forbidden', () => {
    expect(submitRefusal({ phase: 'draft', status: 'draft' }, false, scope, staff)).toBeNull();
    expect(submitRefusal({ phase: 'bureau_approval', status: 'bureau_approval' }, false, scope, staff)?.kind).toBe('conflict');
    expect(submitRefusal({ phase: 'draft', status: 'draft' }, false, scope, leader)?.kind).toBe('forbidden');
  });

  test('When the drafter withdraws, then it is allowed until approval and never after', () => {
    for (const status of ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval']) expect(withdrawRefusal({ status }, false, scope, staff)).toBeNull();
    for (const status of ['active', 'goal_review', 'closed', 'withdrawn']) expect(withdrawRefusal({ status }, false, scope, staff)?.kind).toBe('conflict');
    expect(withdrawRefusal({ status: 'draft' }, false, scope, staff, 'why\u0000')?.kind).toBe('invalid');
  });

  test('When signed content is edited, then only while awaiting the bureau; and it voids the signature exactly when the signed content changed', () => {
    expect(signedEditRefusal({ phase: 'bureau_approval', status: 'bureau_approval' }, false, scope, staff)).toBeNull();
    expect(signedEditRefusal({ phase: 'active', status: 'active' }, false, scope, staff)?.kind).toBe('conflict');
    expect(signedEditRefusal({ phase: 'bureau_approval', status: 'bureau_approval' }, false, scope, actor(['school_staff'], 2))?.kind).toBe('forbidden');
    expect(editVoidsSignature({ beforeHash: 'a', afterHash: 'b' })).toBe(true);
    expect(editVoidsSignature({ beforeHash: 'a', afterHash: 'a' })).toBe(false);
  });
});

describe('The rules over rows (the API’s early answer, the console’s buttons)', () => {
  test('When a draft was submitted once, then it can no longer be deleted but can be withdrawn', () => {
    const returned = { status: 'draft', schoolId: 1, submittedAt: '2026-01-01T00:00:00Z' };
    expect(registrationActionRefusal(staff, 'delete', returned)?.message).toMatch(/撤回.*withdraw/);
    expect(registrationActionRefusal(staff, 'withdraw', returned)).toBeNull();
  });

  test('When another user claimed the task, then acting on it is a conflict; a closed task too', () => {
    const task = { status: 'open', step: 'lead_school_opinion' as const, schoolId: 1, districtId: 10, claimedBy: 99 };
    expect(taskActionRefusal({ ...leader, id: 7 }, task)?.kind).toBe('conflict');
    expect(taskActionRefusal({ ...leader, id: 7 }, { ...task, claimedBy: 7 })).toBeNull();
    expect(taskActionRefusal({ ...leader, id: 7 }, { ...task, claimedBy: null, status: 'done' })?.kind).toBe('conflict');
    expect(taskActionRefusal({ ...staff, id: 7 }, task)?.kind).toBe('forbidden');
  });
});

describe('Deadline arithmetic', () => {
  test('When a step began, then it falls due after the policy’s period and is reminded the lead time before', () => {
    expect(deadlinesFrom('2026-01-01T00:00:00.000Z', { dueSeconds: 86_400, remindBeforeSeconds: 3_600 })).toEqual({
      dueAt: '2026-01-02T00:00:00.000Z',
      remindAt: '2026-01-01T23:00:00.000Z',
    });
  });

  test('When the reminder lead is longer than the period, then the reminder falls at the start, never before it', () => {
    expect(deadlinesFrom('2026-01-01T00:00:00.000Z', { dueSeconds: 60, remindBeforeSeconds: 3_600 }).remindAt).toBe('2026-01-01T00:00:00.000Z');
  });

  test('When the policy has no reminder lead, then there is no reminder', () => {
    expect(deadlinesFrom('2026-01-01T00:00:00.000Z', { dueSeconds: 60, remindBeforeSeconds: 0 }).remindAt).toBeNull();
  });

  test('When the policy changes, then the new times are measured from the same start', () => {
    const start = '2026-03-01T08:00:00.000Z';
    expect(deadlinesFrom(start, { dueSeconds: 7_200, remindBeforeSeconds: 0 }).dueAt).toBe('2026-03-01T10:00:00.000Z');
    expect(deadlinesFrom(start, { dueSeconds: 3_600, remindBeforeSeconds: 0 }).dueAt).toBe('2026-03-01T09:00:00.000Z');
  });
});
