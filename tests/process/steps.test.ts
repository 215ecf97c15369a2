import {
  addApproverRefusal,
  approverPolicyRefusal,
  approversInScope,
  effectsOfApproval,
  returnTargetRefusal,
  returnTargetsOf,
  tasksEndedWith,
  MAX_ADDED_APPROVERS,
  type StepTask,
  type StepTasksState,
} from '@process';

const scope = { schoolId: 1, districtId: 10 };
const bureau = (id: number, districtId = 10) => ({ id, name: `审批人${id}`, roles: ['bureau_approver'], schoolId: null, districtId });

function task(taskId: string, extra: Partial<StepTask> = {}): StepTask {
  return {
    taskId,
    step: 'bureau_approval',
    round: 1,
    assigneeRole: 'bureau_approver',
    startedAt: '2026-12-01T00:00:00.000Z',
    dueAt: null,
    remindAt: null,
    reminded: false,
    overdue: false,
    slot: 0,
    taskStatus: 'open',
    kind: 'approver',
    ...extra,
  };
}
const step = (mode: StepTasksState['mode'], tasks: StepTask[]): StepTasksState => ({ step: 'bureau_approval', round: 1, mode, tasks });

describe('Return to a chosen step', () => {
  test('The bureau may return to the drafter, the lead school or the principal; the lead school only to the drafter', () => {
    expect(returnTargetsOf('bureau_approval')).toEqual(['draft', 'lead_school_opinion', 'principal_signature']);
    expect(returnTargetsOf('principal_signature')).toEqual(['draft', 'lead_school_opinion']);
    expect(returnTargetsOf('lead_school_opinion')).toEqual(['draft']);
  });

  test('A later, the same or an unknown step is refused as bad input, in Chinese and English', () => {
    expect(returnTargetRefusal('bureau_approval', undefined)).toBeNull();
    expect(returnTargetRefusal('bureau_approval', 'lead_school_opinion')).toBeNull();
    for (const bad of ['bureau_approval', 'goal_report', 'nowhere', 7]) {
      const r = returnTargetRefusal('bureau_approval', bad)!;
      expect(r).toMatchObject({ kind: 'invalid', field: 'payload.toStep' });
      expect(r.zh).toMatch(/退回/);
      expect(r.en).toMatch(/earlier step/);
    }
    expect(returnTargetRefusal('principal_signature', 'bureau_approval')).not.toBeNull();
  });
});

describe('会签 / 或签 on a policy', () => {
  test('Only the bureau step, two to ten distinct approvers; single names none', () => {
    expect(approverPolicyRefusal('bureau_approval', 'all', [1, 2])).toBeNull();
    expect(approverPolicyRefusal('bureau_approval', 'single', [])).toBeNull();
    expect(approverPolicyRefusal('bureau_approval', 'any', [1])?.field).toBe('approverUserIds');
    expect(approverPolicyRefusal('bureau_approval', 'any', [1, 1])?.field).toBe('approverUserIds');
    expect(approverPolicyRefusal('lead_school_opinion', 'all', [1, 2])?.field).toBe('approverMode');
    expect(approverPolicyRefusal('bureau_approval', 'most', [1, 2])?.field).toBe('approverMode');
    expect(approverPolicyRefusal('bureau_approval', 'single', [1])?.field).toBe('approverUserIds');
  });

  test('A step opens with the approvers who may act on this registration; inactive or other-district ones are left out', () => {
    const users = [bureau(1), { ...bureau(2), active: false }, bureau(3, 99), bureau(4)];
    expect(approversInScope('bureau_approval', 'all', [1, 2, 3, 4], users, scope).map((u) => u.id)).toEqual([1, 4]);
    expect(approversInScope('bureau_approval', 'single', [1, 4], users, scope)).toEqual([]);
  });
});

describe('When a step is complete', () => {
  test('会签: the step completes only when every approver approved', () => {
    const s = step('all', [task('a', { assigneeUserId: 1 }), task('b', { assigneeUserId: 2, slot: 1 })]);
    expect(effectsOfApproval(s, 'a')).toEqual({ complete: false, cancel: [], reopen: [], openAfter: [] });
    s.tasks[0].taskStatus = 'done';
    expect(effectsOfApproval(s, 'b').complete).toBe(true);
  });

  test('或签: the first approval completes the step and cancels the others', () => {
    const s = step('any', [task('a', { assigneeUserId: 1 }), task('b', { assigneeUserId: 2, slot: 1 }), task('c', { assigneeUserId: 3, slot: 2 })]);
    expect(effectsOfApproval(s, 'b')).toEqual({ complete: true, cancel: ['a', 'c'], reopen: [], openAfter: [] });
  });

  test('A return or rejection ends the step: every other live task is cancelled', () => {
    const s = step('all', [task('a'), task('b', { slot: 1 }), task('c', { slot: 2, taskStatus: 'done' })]);
    expect(tasksEndedWith(s, 'a')).toEqual(['b']);
  });

  test('加签 before: approving the added task reopens the one that waited; the step is not complete yet', () => {
    const s = step('single', [task('a', { taskStatus: 'waiting' }), task('x', { slot: 1, kind: 'added', forTaskId: 'a', position: 'before' })]);
    expect(effectsOfApproval(s, 'x')).toEqual({ complete: false, cancel: [], reopen: ['a'], openAfter: [] });
  });

  test('加签 after: the adder approving asks the added user; the step completes after them', () => {
    const s = step('single', [task('a', { pendingAfter: [{ userId: 9, name: '九', reason: '请复核' }] })]);
    expect(effectsOfApproval(s, 'a')).toMatchObject({ complete: false, openAfter: [{ forTaskId: 'a', userId: 9 }] });
    const later = step('single', [task('a', { taskStatus: 'done' }), task('y', { slot: 1, kind: 'added', forTaskId: 'a', position: 'after' })]);
    expect(effectsOfApproval(later, 'y').complete).toBe(true);
  });

  test('或签 with 加签: another approver winning cancels the waiting task and what was added to it', () => {
    const s = step('any', [task('a', { taskStatus: 'waiting' }), task('b', { slot: 1 }), task('x', { slot: 2, kind: 'added', forTaskId: 'a', position: 'before' })]);
    expect(effectsOfApproval(s, 'b')).toEqual({ complete: true, cancel: ['a', 'x'], reopen: [], openAfter: [] });
  });
});

describe('加签 checks', () => {
  const actor = bureau(1);
  const position = (tasks: StepTask[]) => ({ phase: 'bureau_approval', openTask: tasks[0], stepTasks: step('single', tasks) });
  const req = (user = bureau(2), extra: Record<string, unknown> = {}) => ({ taskId: 'a', actor, user, position: 'before', reason: '请先审核财务部分', ...extra });

  test('The holder of an open approval task may add a bureau approver of the district', () => {
    expect(addApproverRefusal(position([task('a')]), scope, req())).toBeNull();
  });

  test('Self, a duplicate, a closed task, a wrong role or district, no reason and too many are refused', () => {
    expect(addApproverRefusal(position([task('a')]), scope, req(bureau(1)))).toMatchObject({ kind: 'invalid', field: 'userId' });
    expect(addApproverRefusal(position([task('a'), task('b', { slot: 1, assigneeUserId: 2 })]), scope, req())).toMatchObject({ kind: 'conflict' });
    expect(addApproverRefusal(position([task('a', { taskStatus: 'done' })]), scope, req())).toMatchObject({ kind: 'conflict' });
    expect(addApproverRefusal(position([task('a')]), scope, req({ ...bureau(2), roles: ['principal'] }))).toMatchObject({ kind: 'invalid' });
    expect(addApproverRefusal(position([task('a')]), scope, req(bureau(2, 99)))).toMatchObject({ kind: 'invalid' });
    expect(addApproverRefusal(position([task('a')]), scope, req(bureau(2), { reason: ' ' }))).toMatchObject({ field: 'reason' });
    expect(addApproverRefusal(position([task('a')]), scope, req(bureau(2), { position: 'middle' }))).toMatchObject({ field: 'position' });
    const many = [task('a'), ...Array.from({ length: MAX_ADDED_APPROVERS }, (_, i) => task(`x${i}`, { slot: i + 1, kind: 'added', taskStatus: 'done', assigneeUserId: 50 + i }))];
    expect(addApproverRefusal(position(many), scope, req())).toMatchObject({ kind: 'conflict' });
  });

  test('Someone else than the named holder may not add', () => {
    expect(addApproverRefusal(position([task('a', { assigneeUserId: 7 })]), scope, req())).toMatchObject({ kind: 'forbidden' });
  });

  test('Only at the approval step', () => {
    const opinion = { ...task('a'), step: 'lead_school_opinion' as const };
    expect(addApproverRefusal({ phase: 'lead_school_opinion', openTask: opinion, stepTasks: null }, scope, req())).toMatchObject({ kind: 'conflict' });
  });
});
