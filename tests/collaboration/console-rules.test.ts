/**
 * The console's buttons for tasks for people follow the server's rules (domain/process): who sees
 * 转交, 催办 and the step's action on a named or unnamed task.
 */
import { canAccess, type Viewer } from '../../admin-ui/src/providers/canAccess';

const viewer = (id: number, role: string, extra: Partial<Viewer> = {}): Viewer => ({ id, roles: [role], schoolId: 1, districtId: 10, ...extra });
const staff = viewer(1, 'school_staff');
const leader = viewer(2, 'lead_school_leader');
const colleague = viewer(3, 'lead_school_leader');
const principal = viewer(4, 'principal');
const bureau = viewer(5, 'bureau_approver', { schoolId: null });
const admin = viewer(6, 'admin', { schoolId: null, districtId: null });
const elsewhere = viewer(7, 'bureau_approver', { schoolId: null, districtId: 99 });

const task = (extra: Record<string, unknown> = {}) => ({ id: 't', status: 'open', step: 'lead_school_opinion', schoolId: 1, districtId: 10, claimedBy: null, assigneeUserId: null, ...extra });
const can = (v: Viewer, action: string, record = task()) => canAccess(v, { resource: 'tasks', action, record });

describe('The console offers tasks for people where the rules allow', () => {
  test('When a task is open to its role, then each leader may act on it and transfer it; others may not transfer', () => {
    expect([leader, colleague].map((v) => [can(v, 'complete'), can(v, 'transfer')])).toEqual([[true, true], [true, true]]);
    expect([staff, principal, bureau].map((v) => can(v, 'transfer'))).toEqual([false, false, false]);
    expect(can(admin, 'transfer')).toBe(true);
  });

  test('When a task is named for the colleague, then only the colleague may act on or transfer it (and an administrator transfer it)', () => {
    const named = task({ assigneeUserId: colleague.id });
    expect([leader, colleague].map((v) => [can(v, 'complete', named), can(v, 'claim', named), can(v, 'transfer', named)])).toEqual([
      [false, false, false],
      [true, true, true],
    ]);
    expect(can(admin, 'transfer', named)).toBe(true);
  });

  test('When a delegate outside the step\'s role holds the task, then they may act on it', () => {
    expect(can(staff, 'complete', task({ assigneeUserId: staff.id, onBehalfOf: leader.id }))).toBe(true);
  });

  test('When someone would urge, then the drafter\'s staff and the district\'s bureau are offered it; nobody for a finished task', () => {
    expect([staff, leader, principal, bureau, admin, elsewhere].map((v) => can(v, 'urge'))).toEqual([true, false, false, true, false, false]);
    expect(can(staff, 'urge', task({ status: 'done' }))).toBe(false);
    expect(can(leader, 'transfer', task({ status: 'done' }))).toBe(false);
  });

  test('When anyone signed in opens 委托, then they may list and set their own', () => {
    for (const v of [staff, leader, principal, bureau, admin]) expect(['list', 'create', 'edit', 'delete'].map((action) => canAccess(v, { resource: 'delegations', action }))).toEqual([true, true, true, true]);
  });
});
