/**
 * The console's buttons (admin-ui canAccess) against the workflow's own validators
 * (workflows/rules.ts): for every role, school, step and status, the console offers an action
 * exactly when the workflow would admit it — so no button leads to a refusal, and no allowed
 * action is hidden.
 */
import { canAccess, type Viewer } from '../../admin-ui/src/providers/canAccess';
import { initialWorkflowState, REGISTRATION_STATUSES, ROLES, STEP_RULES, TASK_STEPS, WITHDRAWABLE_STATUSES, type RegistrationWorkflowState, type WorkflowActor, type WorkflowPhase } from '../../domain/process';
import { checkCompletion, checkSubmit, checkWithdraw } from '../../workflows/rules';

const scope = { schoolId: 1, districtId: 10 };
const GOAL_ID = '5b1c7a52-8f3e-4c1a-9d2b-0e6f4a3b2c1d';
const people: WorkflowActor[] = ROLES.flatMap((role) =>
  [
    { schoolId: 1, districtId: 10 },
    { schoolId: 2, districtId: 10 },
    { schoolId: 3, districtId: 11 },
    { schoolId: null, districtId: 10 },
    { schoolId: null, districtId: 11 },
  ].map((where, i) => ({ id: 100 + i, username: role, name: role, roles: [role], ...where })),
);
const viewerOf = (a: WorkflowActor): Viewer => ({ id: a.id, roles: a.roles, schoolId: a.schoolId, districtId: a.districtId });

const admits = (check: () => void) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

const stateAt = (status: string, openTask: RegistrationWorkflowState['openTask'] = null): RegistrationWorkflowState => ({
  ...initialWorkflowState(),
  status: status as RegistrationWorkflowState['status'],
  phase: (status === 'goal_review' ? 'goal_report' : status) as WorkflowPhase,
  openTask,
});

describe('The console and the workflow agree', () => {
  test('When anyone looks at an open task of any step, then the console offers to complete it exactly when the workflow admits that person’s decision', () => {
    let compared = 0;
    for (const step of TASK_STEPS) {
      const openTask = { taskId: 't1', step, round: 1, assigneeRole: STEP_RULES[step].role, startedAt: '', dueAt: null, remindAt: null, reminded: false, overdue: false };
      const state = stateAt(step === 'goal_report' || step === 'goal_rating' ? 'goal_review' : step, openTask);
      state.phase = step as WorkflowPhase;
      // The step's own first action, with a sound payload: only who is acting varies.
      const action = STEP_RULES[step].actions[0];
      const payload = { opinion: { opinion: '同意' }, sign: { signatureFileId: 'f1' }, report: { goals: [{ goalId: GOAL_ID, status: 'achieved', narrative: '完成' }] }, rate: { ratings: [{ goalId: GOAL_ID, rating: 'pass' }], overall: 'pass' } }[action as string] ?? {};
      for (const person of people) {
        const console = canAccess(viewerOf(person), { resource: 'tasks', action: 'complete', record: { id: 't1', step, status: 'open', claimedBy: null, schoolId: 1, districtId: 10 } });
        const workflow = admits(() => checkCompletion(state, false, scope, { taskId: 't1', action, payload, actor: person }));
        expect({ step, person: person.roles[0], schoolId: person.schoolId, districtId: person.districtId, console }).toEqual({ step, person: person.roles[0], schoolId: person.schoolId, districtId: person.districtId, console: workflow });
        compared++;
      }
    }
    expect(compared).toBe(TASK_STEPS.length * people.length);
  });

  test('When anyone looks at a registration in any status, then submit and withdraw are offered exactly when the workflow admits them', () => {
    for (const status of REGISTRATION_STATUSES) {
      for (const person of people) {
        const record = { id: 'r1', status, schoolId: 1, signatureId: null, submittedAt: status === 'draft' ? null : 'x' };
        const state = stateAt(status);
        expect([status, person.roles[0], person.schoolId, 'submit', canAccess(viewerOf(person), { resource: 'registrations', action: 'submit', record })]).toEqual([
          status,
          person.roles[0],
          person.schoolId,
          'submit',
          admits(() => checkSubmit(state, false, scope, person)),
        ]);
        expect([status, person.roles[0], person.schoolId, 'withdraw', canAccess(viewerOf(person), { resource: 'registrations', action: 'withdraw', record })]).toEqual([
          status,
          person.roles[0],
          person.schoolId,
          'withdraw',
          admits(() => checkWithdraw(state, false, scope, person)),
        ]);
      }
    }
    // The table is not vacuous: the drafter of the school is offered withdrawal in every status before approval.
    const drafter = viewerOf(people.find((p) => p.roles[0] === 'school_staff' && p.schoolId === 1)!);
    expect(REGISTRATION_STATUSES.filter((status) => canAccess(drafter, { resource: 'registrations', action: 'withdraw', record: { status, schoolId: 1 } }))).toEqual(WITHDRAWABLE_STATUSES);
  });
});
