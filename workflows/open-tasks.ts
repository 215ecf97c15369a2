/**
 * The open tasks of a registration's workflow state. Today a step holds one task (`openTask`);
 * collaboration features (会签/或签, 加签) may hold several at once. Code that acts on a task by id
 * (转交, 催办) finds it here, so it does not depend on how a step keeps its tasks.
 */
import type { OpenTaskView, RegistrationWorkflowState } from './shared';

export function openTasksOf(state: RegistrationWorkflowState): OpenTaskView[] {
  return state.openTask ? [state.openTask] : [];
}

export function findOpenTask(state: RegistrationWorkflowState, taskId: string): OpenTaskView | undefined {
  return openTasksOf(state).find((t) => t.taskId === taskId);
}
