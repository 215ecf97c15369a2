/**
 * Records real histories of the registration workflow for the replay test:
 *
 *   npx tsx tests/replay/record-histories.ts
 *
 * Starts what the test run starts (a database, a Temporal dev server, the bundled workflow code),
 * drives registrations through the API on every path (returns and resubmits, a policy change with
 * its reminder and escalation, signing, approval, a failed review, rectification, a second review,
 * closing; rejection after a signed-content edit; withdrawal; continue-as-new after return loops)
 * and writes each run's history to tests/replay/histories/<scenario>-run<n>.json.
 *
 * Re-record only when histories of the current code are wanted in addition: the files already
 * committed are the contract that a change of the workflow code must keep replaying.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToPlain, type RecordedHistory } from './history-file';
import type { TestSystem } from '../support/harness';
import { runScript } from '../support/script';
import { contentEditedSignal, registrationWorkflowId, stateQuery } from '../../workflows/shared';
import {
  act,
  as,
  createCast,
  draftRegistration,
  eventually,
  goalIdsOf,
  openTaskOf,
  ratingPayload,
  reportPayload,
  restoreDefaultPolicies,
  setPolicyRow,
  signaturePayload,
  submit,
  throughSigning,
  type Cast,
} from '../workflow/support';

const OUT = path.join(__dirname, 'histories');

async function fullPath(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await draftRegistration(sys, cast.staff);
  await submit(sys, cast.staff, id);
  await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: '请补充成员单位简介。' });
  await submit(sys, cast.staff, id);
  // A policy change while the opinion task is open: its timers move, the reminder and the escalation fire.
  const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
  const dueSeconds = Math.ceil((Date.now() - new Date(task.createdAt).getTime()) / 1000) + 3;
  const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { dueSeconds, remindBeforeSeconds: 2, escalateToRole: 'bureau_approver' });
  if (put.status !== 200) throw new Error(`policy change: ${put.status}`);
  await eventually(async () => (await sys.db('tasks').where({ id: task.id }).first()).overdue, 20_000, 'overdue');
  await restoreDefaultPolicies(sys.db);
  await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
  await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
  await setPolicyRow(sys.db, 'review_period', { dueSeconds: 3, remindBeforeSeconds: 1 });
  await setPolicyRow(sys.db, 'rectification_period', { dueSeconds: 2 });
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve', { comment: '同意。' });
  const goals = await goalIdsOf(sys.db, id);
  for (const [cycle, overall] of [
    [1, 'fail'],
    [2, 'pass'],
  ] as const) {
    await eventually(async () => (await openTaskOf(sys.db, id, 'goal_report'))?.round === cycle, 20_000, `goal report ${cycle}`);
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, overall), comment: overall === 'fail' ? '请整改。' : '通过。' });
  }
  await restoreDefaultPolicies(sys.db);
  return id;
}

async function editedThenRejected(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await throughSigning(sys, cast);
  await sys.temporal.workflow.getHandle(registrationWorkflowId(id)).signal(contentEditedSignal, { actorId: cast.staff.id, reason: '修改了成员单位' });
  await eventually(() => openTaskOf(sys.db, id, 'principal_signature'), 10_000, 'signing again');
  await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
  await act(sys, cast.bureau, id, 'bureau_approval', 'reject', { comment: '不符合组建条件。' });
  return id;
}

async function withdrawn(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await draftRegistration(sys, cast.staff);
  await submit(sys, cast.staff, id);
  await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
  const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂缓组建' });
  if (res.status !== 200) throw new Error(`withdraw: ${res.status}`);
  return id;
}

async function returnLoops(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await draftRegistration(sys, cast.staff);
  await submit(sys, cast.staff, id);
  for (let i = 0; i < 6; i++) {
    await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: `第 ${i + 1} 次退回` });
    await submit(sys, cast.staff, id);
  }
  return id;
}

/**
 * Working-day deadlines (issue 12): a policy in working days, a calendar override that moves the
 * open task (computeDeadlines, behind patched('calendar-deadlines')), then approval with the review
 * period in months (the period's due time from computeDeadlines). The run stays in its review period.
 */
async function workingDays(sys: TestSystem, cast: Cast): Promise<string> {
  const admin = as(sys, cast.admin);
  const policy = await admin('PUT', '/api/deadline-policies/lead_school_opinion', { dueWorkingDays: 2, remindBeforeWorkingDays: 1, escalateToRole: 'bureau_approver' });
  if (policy.status !== 200) throw new Error(`policy change: ${policy.status}`);
  const id = await draftRegistration(sys, cast.staff);
  await submit(sys, cast.staff, id);
  const task = await eventually(() => openTaskOf(sys.db, id, 'lead_school_opinion'), 20_000, 'the opinion task');
  const dueDay = new Date(new Date(task.dueAt).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const day = await admin('POST', '/api/calendar-days', { date: dueDay, kind: 'holiday', name: '临时停课' });
  if (day.status !== 201) throw new Error(`calendar override: ${day.status}`);
  await eventually(async () => (await sys.db('tasks').where({ id: task.id }).first()).dueAt.getTime() !== new Date(task.dueAt).getTime(), 20_000, 'the due time to move');
  await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
  await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
  const review = await admin('PUT', '/api/deadline-policies/review_period', { dueMonths: 24, remindBeforeWorkingDays: 20 });
  if (review.status !== 200) throw new Error(`review policy: ${review.status}`);
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve', { comment: '同意。' });
  await eventually(async () => (await sys.db('registrations').where({ id }).first()).status === 'active', 20_000, 'active');
  await new Promise((r) => setTimeout(r, 1000)); // the period's first computeDeadlines
  await admin('DELETE', `/api/calendar-days/${day.body.id}`);
  await new Promise((r) => setTimeout(r, 2000)); // the review period recomputed after the calendar change
  return id;
}

/**
 * A failed review, rectification and a passed second review, each rating written with its
 * consequence in one activity (recordGoalRatingOutcome, behind patched('atomic-goal-rating')).
 */
async function ratingInOneWrite(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await throughSigning(sys, cast);
  await setPolicyRow(sys.db, 'review_period', { dueSeconds: 2, remindBeforeSeconds: 1 });
  await setPolicyRow(sys.db, 'rectification_period', { dueSeconds: 2 });
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve', { comment: '同意。' });
  const goals = await goalIdsOf(sys.db, id);
  for (const [cycle, overall] of [
    [1, 'fail'],
    [2, 'pass'],
  ] as const) {
    await eventually(async () => (await openTaskOf(sys.db, id, 'goal_report'))?.round === cycle, 20_000, `goal report ${cycle}`);
    await act(sys, cast.staff, id, 'goal_report', 'report', { payload: reportPayload(goals) });
    await act(sys, cast.bureau, id, 'goal_rating', 'rate', { payload: ratingPayload(goals, overall), comment: overall === 'fail' ? '请整改。' : '通过。' });
  }
  await restoreDefaultPolicies(sys.db);
  return id;
}

async function writeHistories(sys: TestSystem, scenario: string, registrationId: string) {
  const workflowId = registrationWorkflowId(registrationId);
  const { runNumber } = await sys.temporal.workflow.getHandle(workflowId).query(stateQuery);
  const runs = await eventually(async () => {
    const found = [];
    for await (const e of sys.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) found.push(e);
    return found.length === runNumber ? found : null;
  }, 20_000, `${runNumber} runs of ${workflowId} in visibility`);
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  for (const [i, run] of runs.entries()) {
    const history = await sys.temporal.workflow.getHandle(workflowId, run.runId).fetchHistory();
    const file = path.join(OUT, `${scenario}-run${i + 1}.json`);
    const recorded: RecordedHistory = { scenario, workflowId, runId: run.runId, status: run.status.name, history: historyToPlain(history) };
    fs.writeFileSync(file, JSON.stringify(recorded, null, 1) + '\n');
    console.log(`wrote ${path.relative(process.cwd(), file)} (${history.events?.length} events, ${run.status.name})`);
  }
}

const SCENARIOS: Record<string, (sys: TestSystem, cast: Cast) => Promise<string>> = {
  'full-path': fullPath,
  'edited-then-rejected': editedThenRejected,
  withdrawn,
  'return-loops': returnLoops,
  'working-days': workingDays,
  'rating-in-one-write': ratingInOneWrite,
};

// RECORD_SCENARIOS=working-days records only the named scenarios (comma-separated), leaving the other files as they are.
const only = process.env.RECORD_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean);

runScript({ isolatedDatabase: {} }, async (sys) => {
  const cast = await createCast(sys.db);
  fs.mkdirSync(OUT, { recursive: true });
  for (const [scenario, run] of Object.entries(SCENARIOS)) {
    if (only && !only.includes(scenario)) continue;
    await writeHistories(sys, scenario, await run(sys, cast));
  }
});
