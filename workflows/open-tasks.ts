/**
 * The open tasks of a registration's workflow state. A step holds one task (`openTask`), or —
 * 会签/或签, 加签 — several (`stepTasks`, whose first open one is `openTask`). Code that acts on a task by id
 * (转交, 催办) finds it here, so it does not depend on how a step keeps its tasks.
 */
import type { OpenTaskView, RegistrationWorkflowState } from './shared';

export function openTasksOf(state: RegistrationWorkflowState): OpenTaskView[] {
  // A step holding several tasks: every open one (a task waiting for an added approver is not open).
  if (state.stepTasks && state.openTask && state.stepTasks.step === state.openTask.step && state.stepTasks.round === state.openTask.round) {
    return state.stepTasks.tasks.filter((t) => t.taskStatus === 'open');
  }
  return state.openTask ? [state.openTask] : [];
}

export function findOpenTask(state: RegistrationWorkflowState, taskId: string): OpenTaskView | undefined {
  return openTasksOf(state).find((t) => t.taskId === taskId);
}
