/** OpenAPI paths of tasks for people (转交, 催办, 委托), added to the shared registry at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { delegationBodySchema, delegationFilterSchema, transferBodySchema, urgeBodySchema } from '../usecases/collaboration';

const security = [{ bearer: [] }];
const record = (id: string) => z.record(z.string(), z.unknown()).meta({ id });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const denied = {
  400: json(error, 'Invalid input (field errors)'),
  401: json(error, 'Not signed in'),
  403: json(error, 'Not this role, or not this actor'),
  404: json(error, 'Not found or outside your scope'),
  409: json(error, 'Not allowed in the current state (task no longer open, a delegation cycle, an overlapping delegation)'),
};
const uuidParams = z.object({ id: z.string().meta({ format: 'uuid' }) });
const idParams = z.object({ id: z.string() });
const Task = record('Task');
const Delegation = record('Delegation');
const Candidate = z.object({ id: z.number(), name: z.string() });
const body = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

r.registerPath({ method: 'post', path: '/api/tasks/{id}/transfer', tags: ['tasks'], security, summary: '转交: hand an open task to another user with the step\'s role in scope, with a reason', request: { params: uuidParams, body: body(transferBodySchema) }, responses: { 200: json(Task, 'The task, now named for the new assignee'), ...denied } });
r.registerPath({ method: 'get', path: '/api/tasks/{id}/transfer-candidates', tags: ['tasks'], security, summary: 'The users the task may be transferred to', request: { params: uuidParams }, responses: { 200: json(z.array(Candidate), 'Eligible users'), ...denied } });
r.registerPath({
  method: 'post',
  path: '/api/tasks/{id}/urge',
  tags: ['tasks'],
  security,
  summary: '催办: urge whoever holds an open task (the drafter, or the bureau); once per task per configured interval',
  request: { params: uuidParams, body: body(urgeBodySchema) },
  responses: { 200: json(Task, 'The task with urge {urgedAt, nextUrgeAt}'), 429: json(error.extend({ nextAllowedAt: z.string() }), 'Urged too recently: when it is next allowed (Retry-After)'), ...denied },
});

const listQuery = z.object({ sort: z.string().optional(), range: z.string().optional(), filter: z.string().optional().meta({ description: `JSON object with any of: ${Object.keys(delegationFilterSchema.shape).join(', ')}` }) });
r.registerPath({ method: 'get', path: '/api/delegations', tags: ['delegations'], security, summary: '委托: the delegations you gave or received (an administrator: all)', request: { query: listQuery }, responses: { 200: json(z.array(Delegation), 'One page'), ...denied } });
r.registerPath({ method: 'get', path: '/api/delegations/candidates', tags: ['delegations'], security, summary: 'The users who may stand in for fromUserId (default: yourself)', request: { query: z.object({ fromUserId: z.string().optional() }) }, responses: { 200: json(z.array(Candidate), 'Eligible delegates'), ...denied } });
r.registerPath({ method: 'get', path: '/api/delegations/{id}', tags: ['delegations'], security, request: { params: idParams }, responses: { 200: json(Delegation, 'The delegation'), ...denied } });
r.registerPath({ method: 'post', path: '/api/delegations', tags: ['delegations'], security, summary: 'Set a delegate for a time window (yourself; an administrator for anyone)', request: { body: body(delegationBodySchema) }, responses: { 201: json(Delegation, 'Created'), ...denied } });
r.registerPath({ method: 'put', path: '/api/delegations/{id}', tags: ['delegations'], security, request: { params: idParams, body: body(delegationBodySchema) }, responses: { 200: json(Delegation, 'Changed'), ...denied } });
r.registerPath({ method: 'delete', path: '/api/delegations/{id}', tags: ['delegations'], security, request: { params: idParams }, responses: { 200: json(Delegation, 'Deleted'), ...denied } });
