/**
 * OpenAPI paths of the process routes (tasks, submit/withdraw/timeline, deadline policies,
 * notifications), added to the shared registry at module load. Request bodies use the same zod
 * schemas the routes validate with.
 */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { policyFilterSchema, policyUpdateSchema } from '../usecases/deadline-policies';
import { notificationFilterSchema } from '../usecases/notifications';
import { withdrawBodySchema } from '../usecases/registration-actions';
import { bulkBodySchema, completeBodySchema, taskFilterSchema } from '../usecases/tasks';
import { addApproverBodySchema } from '../usecases/step-approvers';

const security = [{ bearer: [] }];
const record = (id: string) => z.record(z.string(), z.unknown()).meta({ id });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const denied = {
  400: json(error, 'Invalid input (field errors)'),
  401: json(error, 'Not signed in'),
  403: json(error, 'Not this role, or not this actor\'s step'),
  404: json(error, 'Not found or outside your scope'),
  409: json(error, 'Not allowed in the current state (task no longer open, claimed by someone else, another action in flight)'),
};
const idempotencyKey = z.object({ 'idempotency-key': z.string().max(200).optional().meta({ description: 'A repeat with the same key returns the first answer and acts once' }) });
const listQuery = (filter: z.ZodObject) =>
  z.object({
    sort: z.string().optional().meta({ example: '["dueAt","ASC"]' }),
    range: z.string().optional().meta({ example: '[0,24]' }),
    filter: z.string().optional().meta({ description: `JSON object with any of: ${Object.keys(filter.shape).join(', ')}` }),
  });
const uuidParams = z.object({ id: z.string().meta({ format: 'uuid' }) });
const idParams = z.object({ id: z.string() });

const Task = record('Task');
const Timeline = record('Timeline');

r.registerPath({ method: 'get', path: '/api/tasks', tags: ['tasks'], security, summary: 'The inbox (filters mine, role, step, overdue, schoolId, status; sort by dueAt)', request: { query: listQuery(taskFilterSchema) }, responses: { 200: json(z.array(Task), 'One page (Content-Range: tasks 0-24/319)'), ...denied } });
r.registerPath({ method: 'get', path: '/api/tasks/{id}', tags: ['tasks'], security, request: { params: uuidParams }, responses: { 200: json(Task, 'The task'), ...denied } });
for (const verb of ['claim', 'unclaim'] as const) {
  r.registerPath({ method: 'post', path: `/api/tasks/{id}/${verb}`, tags: ['tasks'], security, request: { params: uuidParams }, responses: { 200: json(Task, `The task after ${verb}`), ...denied } });
}
r.registerPath({
  method: 'post',
  path: '/api/tasks/{id}/complete',
  tags: ['tasks'],
  security,
  summary: 'Act on a task: opinion | sign | approve | return | reject | report | rate; a return may carry payload.toStep (an earlier step; default the drafter)',
  request: { params: uuidParams, headers: idempotencyKey, body: { content: { 'application/json': { schema: completeBodySchema } } } },
  responses: { 200: json(Task, 'The task as it stands afterwards, with result {status, nextTaskId}'), ...denied },
});
r.registerPath({
  method: 'post',
  path: '/api/tasks/{id}/add-approver',
  tags: ['tasks'],
  security,
  summary: '加签: add an approver before (the holder waits for them) or after (asked once the holder approves) the task holder',
  request: { params: uuidParams, headers: idempotencyKey, body: { content: { 'application/json': { schema: addApproverBodySchema } } } },
  responses: { 200: json(Task, 'The task afterwards, with result {addedTaskId, status}'), ...denied },
});
r.registerPath({ method: 'get', path: '/api/tasks/{id}/approver-candidates', tags: ['tasks'], security, summary: 'Who may be added to the task (加签): active users with its step\'s role in its scope', request: { params: uuidParams }, responses: { 200: json(z.array(z.object({ id: z.number(), name: z.string(), username: z.string() })), 'The candidates'), ...denied } });
r.registerPath({
  method: 'post',
  path: '/api/tasks/bulk',
  tags: ['tasks'],
  security,
  summary: 'The same action on many tasks; one result per id (one failure never stops the others)',
  request: { headers: idempotencyKey, body: { content: { 'application/json': { schema: bulkBodySchema } } } },
  responses: { 200: json(z.object({ results: z.array(record('BulkItemResult')), succeeded: z.number(), failed: z.number() }), 'Per-item results'), ...denied },
});

r.registerPath({ method: 'post', path: '/api/registrations/{id}/submit', tags: ['registrations'], security, summary: 'Submit a draft (starts the process, or resubmits after a return)', request: { params: uuidParams, headers: idempotencyKey }, responses: { 200: json(record('RegistrationWithProcess'), 'The registration and its process state'), ...denied } });
r.registerPath({ method: 'post', path: '/api/registrations/{id}/withdraw', tags: ['registrations'], security, summary: 'Withdraw before approval', request: { params: uuidParams, headers: idempotencyKey, body: { content: { 'application/json': { schema: withdrawBodySchema } } } }, responses: { 200: json(record('RegistrationWithdrawn'), 'The withdrawn registration'), ...denied } });
r.registerPath({ method: 'get', path: '/api/registrations/{id}/timeline', tags: ['registrations'], security, summary: 'The process: status, open task, step history', request: { params: uuidParams }, responses: { 200: json(Timeline, 'The workflow state'), ...denied } });

r.registerPath({ method: 'get', path: '/api/deadline-policies', tags: ['deadline-policies'], security, request: { query: listQuery(policyFilterSchema) }, responses: { 200: json(z.array(record('DeadlinePolicy')), 'Every step and period'), ...denied } });
r.registerPath({ method: 'get', path: '/api/deadline-policies/propagation', tags: ['deadline-policies'], security, summary: 'The latest policy changes and how far each has reached the registrations in flight', responses: { 200: json(z.array(record('PolicyPropagation')), 'Newest first: version, step, status, total, moved, skipped'), ...denied } });
r.registerPath({ method: 'get', path: '/api/deadline-policies/{id}', tags: ['deadline-policies'], security, request: { params: idParams }, responses: { 200: json(record('DeadlinePolicy'), 'By id or by step name'), ...denied } });
r.registerPath({ method: 'put', path: '/api/deadline-policies/{id}', tags: ['deadline-policies'], security, summary: 'Change a policy (admin); answers at once, a workflow moves the in-flight timers', request: { params: idParams, body: { content: { 'application/json': { schema: policyUpdateSchema } } } }, responses: { 200: json(record('DeadlinePolicyChanged'), 'The policy, its version, registrationsToMove and the propagation'), ...denied } });

r.registerPath({ method: 'get', path: '/api/notifications', tags: ['notifications'], security, summary: 'The signed-in user\'s notifications (X-Unread-Count)', request: { query: listQuery(notificationFilterSchema) }, responses: { 200: json(z.array(record('Notification')), 'One page'), ...denied } });
r.registerPath({ method: 'post', path: '/api/notifications/{id}/read', tags: ['notifications'], security, request: { params: idParams }, responses: { 200: json(record('Notification'), 'Marked read'), ...denied } });
r.registerPath({ method: 'post', path: '/api/notifications/read-all', tags: ['notifications'], security, responses: { 200: json(z.object({ updated: z.number() }), 'How many were marked'), ...denied } });
