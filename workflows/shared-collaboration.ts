/**
 * The registration workflow's messages for tasks for people (转交, 催办): both sides (the API and
 * the workflow) import these definitions. Delegation (委托) needs no message: it is resolved when
 * a task is opened (worker/activities/assignees.ts).
 */
import { defineUpdate } from '@temporalio/workflow';
import type { WorkflowActor } from '../domain/process/vocabulary';

/** The user a task is transferred to, as the API found them (the validator checks role and scope). */
export interface TransferTarget {
  id: number;
  name: string;
  roles: string[];
  schoolId: number | null;
  districtId: number | null;
  active: boolean;
}

export interface TransferTaskInput {
  taskId: string;
  actor: WorkflowActor;
  to: TransferTarget;
  reason: string;
}
export interface TransferTaskResult {
  taskId: string;
  assigneeUserId: number;
  assigneeName: string;
}

export interface UrgeTaskInput {
  taskId: string;
  actor: WorkflowActor;
  message: string | null;
  /** The administrators' interval between two urges of a task, as the API read it. */
  intervalSeconds: number;
}
export interface UrgeTaskResult {
  taskId: string;
  urgedAt: string;
  nextUrgeAt: string;
}

/** 转交: hands an open task to another user. The validator refuses a task not open, an actor who may not, a target without the role in scope. */
export const transferTaskUpdate = defineUpdate<TransferTaskResult, [TransferTaskInput]>('transferTask');
/** 催办: urges the holder of an open task, at most once per interval (the validator decides over the workflow's state). */
export const urgeTaskUpdate = defineUpdate<UrgeTaskResult, [UrgeTaskInput]>('urgeTask');
