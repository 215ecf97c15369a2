/**
 * The console's access table (admin-ui/src/providers/canAccess.ts), which decides menus, buttons
 * and routes: what each role is offered, and the record-level conditions of each button.
 */
import { canAccess, type Viewer } from '../../admin-ui/src/providers/canAccess';

const viewer = (role: string, extra: Partial<Viewer> = {}): Viewer => ({ id: 7, roles: [role], schoolId: 1, ...extra });
const staff = viewer('school_staff');
const leader = viewer('lead_school_leader');
const principal = viewer('principal');
const bureau = viewer('bureau_approver', { schoolId: null });
const admin = viewer('admin', { schoolId: null });

describe('canAccess: menus and routes', () => {
  const SETTINGS = ['users', 'schools', 'form-fields'];

  test.each([staff, leader, principal])('When a school role ($roles) asks for the administrators’ settings, then every one is refused', (v) => {
    for (const resource of [...SETTINGS, 'deadline-policies', 'audit-events']) {
      for (const action of ['list', 'show', 'create', 'edit', 'delete']) expect(canAccess(v, { resource, action })).toBe(false);
    }
  });

  test('When the bureau asks, then it reads deadline policies and the audit log but changes no settings', () => {
    expect(canAccess(bureau, { resource: 'deadline-policies', action: 'list' })).toBe(true);
    expect(canAccess(bureau, { resource: 'deadline-policies', action: 'edit' })).toBe(false);
    expect(canAccess(bureau, { resource: 'audit-events', action: 'list' })).toBe(true);
    for (const resource of SETTINGS) expect(canAccess(bureau, { resource, action: 'list' })).toBe(false);
  });

  test('When an administrator asks, then every setting is offered, but no registration can be drafted', () => {
    for (const resource of [...SETTINGS, 'deadline-policies']) expect(canAccess(admin, { resource, action: 'edit' })).toBe(true);
    expect(canAccess(admin, { resource: 'registrations', action: 'create' })).toBe(false);
  });

  test('When anyone signed in asks for goal reviews, then the list and page are offered; the review planning only to the bureau and administrators', () => {
    for (const v of [staff, leader, principal, bureau, admin]) {
      expect(canAccess(v, { resource: 'goal-reviews', action: 'list' })).toBe(true);
      expect(canAccess(v, { resource: 'goal-reviews', action: 'show' })).toBe(true);
      expect(canAccess(v, { resource: 'goal-reviews', action: 'edit' })).toBe(false);
    }
    for (const v of [staff, leader, principal]) expect(canAccess(v, { resource: 'review-planning', action: 'list' })).toBe(false);
    for (const v of [bureau, admin]) expect(canAccess(v, { resource: 'review-planning', action: 'list' })).toBe(true);
  });

  test('When anyone but an administrator asks for the operator page, then it is refused', () => {
    for (const v of [staff, leader, principal, bureau]) expect(canAccess(v, { resource: 'operations', action: 'list' })).toBe(false);
    expect(canAccess(admin, { resource: 'operations', action: 'list' })).toBe(true);
  });

  test('When nobody is signed in, then nothing is offered', () => {
    expect(canAccess(null, { resource: 'registrations', action: 'list' })).toBe(false);
  });
});

describe('canAccess: buttons only in the status they apply to', () => {
  const draft = { id: 'r1', schoolId: 1, status: 'draft', signatureId: null, submittedAt: null };

  test('When the registration is a draft of the staff member’s school, then edit, submit, withdraw and delete are offered', () => {
    for (const action of ['edit', 'submit', 'withdraw', 'delete']) expect(canAccess(staff, { resource: 'registrations', action, record: draft })).toBe(true);
  });

  test('When it belongs to another school, then none of them is offered', () => {
    for (const action of ['edit', 'submit', 'withdraw', 'delete']) {
      expect(canAccess(staff, { resource: 'registrations', action, record: { ...draft, schoolId: 2 } })).toBe(false);
    }
  });

  test('When it was submitted once and returned, then it can be withdrawn but not deleted', () => {
    const returned = { ...draft, submittedAt: '2026-01-01T00:00:00Z' };
    expect(canAccess(staff, { resource: 'registrations', action: 'delete', record: returned })).toBe(false);
    expect(canAccess(staff, { resource: 'registrations', action: 'withdraw', record: returned })).toBe(true);
  });

  test('When it awaits the bureau, then it can be withdrawn, edited only if signed (voiding the signature), never submitted', () => {
    const awaiting = { ...draft, status: 'bureau_approval', submittedAt: 'x' };
    expect(canAccess(staff, { resource: 'registrations', action: 'submit', record: awaiting })).toBe(false);
    expect(canAccess(staff, { resource: 'registrations', action: 'withdraw', record: awaiting })).toBe(true);
    expect(canAccess(staff, { resource: 'registrations', action: 'edit', record: awaiting })).toBe(false);
    expect(canAccess(staff, { resource: 'registrations', action: 'edit', record: { ...awaiting, signatureId: 's1' } })).toBe(true);
  });

  test('When it is active, then neither withdraw nor edit is offered', () => {
    const active = { ...draft, status: 'active', submittedAt: 'x', signatureId: 's1' };
    expect(canAccess(staff, { resource: 'registrations', action: 'withdraw', record: active })).toBe(false);
    expect(canAccess(staff, { resource: 'registrations', action: 'edit', record: active })).toBe(false);
  });
});

describe('canAccess: task actions', () => {
  const task = (step: string, extra: Record<string, unknown> = {}) => ({ id: 't1', step, status: 'open', claimedBy: null, schoolId: 1, ...extra });

  test('When a task is open at a step, then only that step’s role may act, in its own school', () => {
    expect(canAccess(leader, { resource: 'tasks', action: 'complete', record: task('lead_school_opinion') })).toBe(true);
    expect(canAccess(principal, { resource: 'tasks', action: 'complete', record: task('lead_school_opinion') })).toBe(false);
    expect(canAccess(principal, { resource: 'tasks', action: 'complete', record: task('principal_signature') })).toBe(true);
    expect(canAccess(principal, { resource: 'tasks', action: 'complete', record: task('principal_signature', { schoolId: 2 }) })).toBe(false);
    expect(canAccess(bureau, { resource: 'tasks', action: 'complete', record: task('bureau_approval', { schoolId: 5 }) })).toBe(true);
  });

  test('When someone else claimed the task, or it is done, then no action is offered', () => {
    expect(canAccess(leader, { resource: 'tasks', action: 'complete', record: task('lead_school_opinion', { claimedBy: 99 }) })).toBe(false);
    expect(canAccess(leader, { resource: 'tasks', action: 'complete', record: task('lead_school_opinion', { claimedBy: 7 }) })).toBe(true);
    expect(canAccess(leader, { resource: 'tasks', action: 'claim', record: task('lead_school_opinion', { status: 'done' }) })).toBe(false);
  });

  test('When a school asks for its stamp, then its principal and administrators may upload it, nobody else', () => {
    expect(canAccess(principal, { resource: 'schools', action: 'stamp', record: { id: 1 } })).toBe(true);
    expect(canAccess(principal, { resource: 'schools', action: 'stamp', record: { id: 2 } })).toBe(false);
    expect(canAccess(staff, { resource: 'schools', action: 'stamp', record: { id: 1 } })).toBe(false);
    expect(canAccess(admin, { resource: 'schools', action: 'stamp', record: { id: 2 } })).toBe(true);
  });
});
