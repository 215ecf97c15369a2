/**
 * Everything timed: the goal review after the review period, rectification after a failed review,
 * and deadline policies changed while tasks and periods are running. Durations are seconds here
 * (the real dev server; no time skipping). Policies are global, so this suite runs on a database of
 * its own and puts the defaults back after each test.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { createLogger } from '../../platform/logger';
import { createActivities } from '../../worker/activities/index';
import { noMailer } from '../../worker/mailer';
import { registrationWorkflowId, stateQuery } from '../../workflows/shared';
import { startSystem, type TestSystem } from '../support/harness';
import {
  act,
  as,
  auditActions,
  complete,
  createCast,
  draftRegistration,
  eventually,
  goalIdsOf,
  openTaskOf,
  ratingPayload,
  registrationRow,
  reportPayload,
  restoreDefaultPolicies,
  setPolicyRow,
  submit,
  throughSigning,
  type Cast,
} from './support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  // Policies are global: this suite changes them, so it runs on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  cast = await createCast(sys.db);
});
afterEach(() => restoreDefaultPolicies(sys.db));
afterAll(() => sys.close());

const handleOf = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id));
/**
 * The step's task open in the inbox and known to the workflow (its activity writes the row a moment
 * before the workflow has the answer; a decision in between is refused as not open).
 */
const waitForTask = (id: string, step: 'goal_report' | 'goal_rating', round: number) =>
  eventually(async () => {
    const t = await openTaskOf(sys.db, id, step);
    if (!t || t.round !== round) return null;
    const state = await handleOf(id).query(stateQuery);
    return state.openTask?.taskId === t.id ? t : null;
  }, 20_000, `${step} round ${round}`);

/** Through approval with the review period shortened to `seconds` (only this approval reads it). */
async function approvedWithReviewIn(seconds: number, rectificationSeconds?: number): Promise<string> {
  const id = await throughSigning(sys, cast);
  await setPolicyRow(sys.db, 'review_period', { dueSeconds: seconds });
  if (rectificationSeconds) await setPolicyRow(sys.db, 'rectification_period', { dueSeconds: rectificationSeconds });
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
  return id;
}

describe('The goal review checkpoint', () => {
  test('When the review period ends, then the lead school reports on every goal, the bureau rates, and a pass closes the registration: draft → closed', async () => {
    const id = await approvedWithReviewIn(3);
    const approved = await registrationRow(sys.db, id);
    expect(approved.status).toBe('active');
    expect(new Date(approved.reviewDueAt).getTime() - new Date(approved.approvedAt).getTime()).toBe(3000);

    const reportTask = await waitForTask(id, 'goal_report', 1);
    expect(reportTask.assigneeRole).toBe('school_staff');
    expect(new Date(reportTask.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(approved.reviewDueAt).getTime());
    expect(await registrationRow(sys.db, id)).toMatchObject({ status: 'goal_review', currentStep: 'goal_report' });

    const goals = await goalIdsOf(sys.db, id);
    expect(goals).toHaveLength(2);
    // A report that leaves a goal out is refused with the field named.
    const partial = await complete(sys, cast.staff, reportTask.id, 'report', { payload: reportPayload(goals.slice(0, 1)) });
    expect(partial.status).toBe(400);
    expect(partial.body.errors['payload.goals']).toMatch(/Missing goals/);

    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, 'pass'), comment: '目标全部达成。' });

    const closed = await registrationRow(sys.db, id);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    const review = await sys.db('goalReviews').where({ registrationId: id }).first();
    expect(review).toMatchObject({ cycle: 1, status: 'passed', overall: 'pass', reportedBy: cast.staff.id, ratedBy: cast.bureau.id });
    const items = await sys.db('goalReviewItems').where({ reviewId: review.id }).orderBy('goalId');
    expect(items).toHaveLength(2);
    expect(items.every((i: any) => i.rating === 'pass' && i.narrative && i.progress)).toBe(true);

    const state = await handleOf(id).query(stateQuery);
    expect(state.outcome).toBe('passed');
    expect(state.history.map((h) => `${h.step}:${h.action}`)).toEqual([
      'submit:submit',
      'lead_school_opinion:opinion',
      'principal_signature:sign',
      'bureau_approval:approve',
      'review_due:opened',
      'goal_report:report',
      'goal_rating:rate',
      'closed:passed',
    ]);
    expect((await handleOf(id).describe()).status.name).toBe('COMPLETED');
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.closed')).toHaveLength(1);
  });

  test('When the first review fails, then rectification runs for its period and a second review follows; a conditional pass closes it', async () => {
    const id = await approvedWithReviewIn(2, 3);
    const goals = await goalIdsOf(sys.db, id);
    await waitForTask(id, 'goal_report', 1);
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    const failed = await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, 'fail'), comment: '家长学校未建立。' });
    expect(failed.result.status).toBe('rectification');

    const inRectification = await registrationRow(sys.db, id);
    expect(inRectification.status).toBe('rectification');
    const firstReview = await sys.db('goalReviews').where({ registrationId: id, cycle: 1 }).first();
    expect(firstReview.status).toBe('failed');
    expect(new Date(inRectification.reviewDueAt).getTime() - new Date(firstReview.ratedAt).getTime()).toBe(3000);
    const told = await sys.db('notifications').where({ registrationId: id, recipientUserId: cast.leader.id, kind: 'decision' }).first();
    expect(told.title).toMatch(/rectify/);

    const second = await waitForTask(id, 'goal_report', 2);
    expect(new Date(second.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(inRectification.reviewDueAt).getTime());
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, 'conditional') });

    expect((await registrationRow(sys.db, id)).status).toBe('closed');
    expect((await sys.db('goalReviews').where({ registrationId: id }).orderBy('cycle').pluck('status'))).toEqual(['failed', 'conditional']);
    expect((await handleOf(id).query(stateQuery)).outcome).toBe('conditional');
  });

  test('When the second review fails too, then the registration closes with outcome failed (no third review)', async () => {
    const id = await approvedWithReviewIn(2, 2);
    const goals = await goalIdsOf(sys.db, id);
    for (const cycle of [1, 2]) {
      await waitForTask(id, 'goal_report', cycle);
      await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
      await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, 'fail'), comment: '未整改到位。' });
    }
    expect((await registrationRow(sys.db, id)).status).toBe('closed');
    const state = await handleOf(id).query(stateQuery);
    expect(state.outcome).toBe('failed');
    expect(state.reviewCycle).toBe(2);
    expect(await sys.db('tasks').where({ registrationId: id, step: 'goal_report' })).toHaveLength(2);
  });
});

describe('A goal rating written at once', () => {
  /** The inputs of the activities the workflow scheduled, by activity type, in the order scheduled. */
  async function scheduledActivities(id: string): Promise<{ type: string; input: any }[]> {
    const { executions } = await sys.temporal.workflowService.listWorkflowExecutions({ namespace: sys.config.TEMPORAL_NAMESPACE, query: `WorkflowId = '${registrationWorkflowId(id)}'` });
    const out: { type: string; input: any }[] = [];
    for (const run of [...executions].reverse()) {
      const history = await sys.temporal.workflow.getHandle(registrationWorkflowId(id), run.execution!.runId!).fetchHistory();
      for (const e of history.events ?? []) {
        const a = e.activityTaskScheduledEventAttributes;
        if (a) out.push({ type: a.activityType!.name!, input: defaultPayloadConverter.fromPayload(a.input!.payloads![0]) });
      }
    }
    return out;
  }

  test('When the bureau fails a first review, then the rating, its task and the move to rectification are one write; a late retry of it after the second review opened moves nothing back, and a failing write leaves nothing half-done', async () => {
    const id = await approvedWithReviewIn(2, 3);
    const goals = await goalIdsOf(sys.db, id);
    await waitForTask(id, 'goal_report', 1);
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    const ratingTask = await openTaskOf(sys.db, id, 'goal_rating');
    expect((await complete(sys, cast.bureau, ratingTask.id, 'rate', { payload: ratingPayload(goals, 'fail'), comment: '家长学校未建立。' })).status).toBe(200);

    // One activity (one transaction) wrote the rating and started rectification.
    const scheduled = await scheduledActivities(id);
    const ratingWrites = scheduled.filter((a) => ['recordGoalRatingOutcome', 'recordGoalRating', 'startRectification'].includes(a.type));
    expect(ratingWrites.map((a) => a.type)).toEqual(['recordGoalRatingOutcome']);
    const original = ratingWrites[0].input;
    const firstReview = await sys.db('goalReviews').where({ registrationId: id, cycle: 1 }).first();
    expect({ review: firstReview.status, task: (await sys.db('tasks').where({ id: ratingTask.id }).first()).status, registration: (await registrationRow(sys.db, id)).status }).toEqual({ review: 'failed', task: 'done', registration: 'rectification' });

    await waitForTask(id, 'goal_report', 2);
    const before = await registrationRow(sys.db, id);
    expect(before.status).toBe('goal_review');
    const activities = createActivities({ db: sys.db, mailer: noMailer, logger: createLogger('warn', 'test'), config: { dataDir: sys.config.dataDir } });

    // A late attempt of the same activity (its worker lost, the attempt retried after newer writes).
    const late = await activities.recordGoalRatingOutcome(original);
    expect(late.applied).toBe(false);
    expect(late.rectification?.rectificationDueAt).toBe(new Date(firstReview.rectificationDueAt).toISOString());
    const after = await registrationRow(sys.db, id);
    expect({ status: after.status, processSeq: after.processSeq }).toEqual({ status: 'goal_review', processSeq: before.processSeq });
    expect(await sys.db('goalReviews').where({ registrationId: id, cycle: 1 }).first()).toEqual(firstReview);
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.rectification_started')).toHaveLength(1);

    // A write that fails part-way (a rating of a goal that does not exist) leaves nothing: not even the status it would have set.
    const failing = { ...original, cycle: 2, taskId: (await openTaskOf(sys.db, id, 'goal_report')).id, seq: before.processSeq + 100, next: { kind: 'closed', outcome: 'passed' }, ratings: [{ goalId: '00000000-0000-4000-8000-000000000000', rating: 'pass' }] };
    await expect(activities.recordGoalRatingOutcome(failing)).rejects.toThrow();
    const untouched = await registrationRow(sys.db, id);
    expect({ status: untouched.status, processSeq: untouched.processSeq }).toEqual({ status: 'goal_review', processSeq: before.processSeq });
    expect((await sys.db('goalReviews').where({ registrationId: id, cycle: 2 }).first()).status).toBe('reporting');
    expect((await openTaskOf(sys.db, id, 'goal_report')).status).toBe('open');
  });
});

describe('Deadline policies changed while work is in flight', () => {
  test('When an administrator shortens the opinion deadline while the task is open, then its due time moves, the reminder fires at the new time and the task turns overdue and is escalated', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const startedAt = new Date(task.createdAt).getTime();
    expect(new Date(task.dueAt).getTime() - startedAt).toBe(3 * 24 * 3600 * 1000);

    // Due 8 s from now, reminder 4 s before that, both counted from when the task began.
    const dueSeconds = Math.ceil((Date.now() - startedAt) / 1000) + 8;
    const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { dueSeconds, remindBeforeSeconds: 4, escalateToRole: 'bureau_approver' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ step: 'lead_school_opinion', dueSeconds, remindBeforeSeconds: 4 });
    expect(put.body.movedRegistrations).toBeGreaterThanOrEqual(1);

    const expectedDue = startedAt + dueSeconds * 1000;
    const expectedRemind = expectedDue - 4000;
    const moved = await eventually(async () => {
      const t = await sys.db('tasks').where({ id: task.id }).first();
      return new Date(t.dueAt).getTime() === expectedDue ? t : null;
    }, 10_000, 'the moved due time');
    expect(new Date(moved.remindAt).getTime()).toBe(expectedRemind);
    expect(moved.remindedAt).toBeNull();

    const reminded = await eventually(async () => {
      const t = await sys.db('tasks').where({ id: task.id }).first();
      return t.remindedAt ? t : null;
    }, 15_000, 'the reminder');
    const remindedAt = new Date(reminded.remindedAt).getTime();
    expect(remindedAt).toBeGreaterThanOrEqual(expectedRemind - 50);
    expect(remindedAt).toBeLessThan(expectedRemind + 3000);
    expect(reminded.overdue).toBe(false);
    const reminders = await sys.db('notifications').where({ taskId: task.id, kind: 'reminder' }).select('recipientUserId').then((rows) => rows.map((r: any) => r.recipientUserId));
    expect(reminders).toEqual([cast.leader.id]);

    const overdue = await eventually(async () => {
      const t = await sys.db('tasks').where({ id: task.id }).first();
      return t.overdue ? t : null;
    }, 15_000, 'the overdue flag');
    expect(new Date(overdue.escalatedAt).getTime()).toBeGreaterThanOrEqual(expectedDue - 50);
    const escalations = await sys.db('notifications').where({ taskId: task.id, kind: 'escalation' }).select('recipientUserId').then((rows) => rows.map((r: any) => r.recipientUserId));
    expect(escalations).toEqual([cast.bureau.id]);
    expect((await auditActions(sys.db, id)).filter((a) => a === 'task.overdue')).toHaveLength(1);

    const overdueList = await as(sys, cast.bureau)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ overdue: true, registrationId: id }))}`);
    expect(overdueList.body.map((t: any) => t.id)).toEqual([task.id]);
    // Overdue is a flag, not a lock: the leader can still act.
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
  });

  test('When an administrator lengthens a deadline after a task turned overdue, then the task is no longer overdue', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await setPolicyRow(sys.db, 'lead_school_opinion', { dueSeconds: 1, escalateToRole: 'admin' });
    await submit(sys, cast.staff, id);
    await restoreDefaultPolicies(sys.db);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    await eventually(async () => (await sys.db('tasks').where({ id: task.id }).first()).overdue, 10_000, 'overdue');

    const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { dueSeconds: 3600, remindBeforeSeconds: 0, escalateToRole: 'admin' });
    expect(put.status).toBe(200);
    const lifted = await eventually(async () => {
      const t = await sys.db('tasks').where({ id: task.id }).first();
      return t.overdue ? null : t;
    }, 10_000, 'overdue lifted');
    expect(new Date(lifted.dueAt).getTime() - new Date(lifted.createdAt).getTime()).toBe(3600 * 1000);
  });

  test('When an administrator shortens the review period, then active registrations move their review date and the review opens at the new time', async () => {
    const id = await throughSigning(sys, cast);
    await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
    const approved = await registrationRow(sys.db, id);
    const approvedAt = new Date(approved.approvedAt).getTime();
    // The default: two years (63 072 000 s) after approval.
    expect(new Date(approved.reviewDueAt).getTime() - approvedAt).toBe(63_072_000 * 1000);
    const dueSeconds = Math.ceil((Date.now() - approvedAt) / 1000) + 3;

    const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/review_period', { dueSeconds, remindBeforeSeconds: 0 });
    expect(put.status).toBe(200);
    expect(put.body.movedRegistrations).toBeGreaterThanOrEqual(1);
    await eventually(async () => new Date((await registrationRow(sys.db, id)).reviewDueAt).getTime() === approvedAt + dueSeconds * 1000, 10_000, 'moved review date');
    const reportTask = await waitForTask(id, 'goal_report', 1);
    expect(new Date(reportTask.createdAt).getTime()).toBeGreaterThanOrEqual(approvedAt + dueSeconds * 1000);
  });

  test('When a bureau approver tries to change a policy, or the reminder lead is not shorter than the due time, then 403 / 400 and the policy is unchanged', async () => {
    const before = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first();
    const bureau = await as(sys, cast.bureau)('PUT', '/api/deadline-policies/bureau_approval', { dueSeconds: 60, remindBeforeSeconds: 0 });
    expect(bureau.status).toBe(403);
    const bad = await as(sys, cast.admin)('PUT', `/api/deadline-policies/${before.id}`, { dueSeconds: 60, remindBeforeSeconds: 60 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.remindBeforeSeconds).toMatch(/shorter/);
    expect(await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first()).toEqual(before);
  });
});
