/** OpenAPI paths of /api/bulk-jobs, added to the shared registry at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { bulkJobBodySchema } from '../usecases/bulk-jobs';

const security = [{ bearer: [] }];
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const item = z.object({ id: z.string(), ok: z.boolean(), status: z.number(), code: z.string().optional(), message: z.string().optional(), errors: z.record(z.string(), z.string()).optional() });
const job = z
  .object({
    id: z.string(),
    actorId: z.number(),
    action: z.string(),
    total: z.number(),
    done: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    finished: z.boolean(),
    results: z.array(item.nullable()).meta({ description: 'One per id, in the order sent; null while not decided yet' }),
  })
  .meta({ id: 'BulkJob' });
const denied = { 400: json(error, 'Invalid input (field errors)'), 401: json(error, 'Not signed in'), 403: json(error, 'Not allowed'), 503: json(error, 'The process service is unavailable') };

r.registerPath({
  method: 'post',
  path: '/api/bulk-jobs',
  tags: ['tasks'],
  security,
  summary: 'Start a server-side bulk decision (up to 1,000 tasks); it goes on if the client goes away',
  request: { headers: z.object({ 'idempotency-key': z.string().optional() }), body: { content: { 'application/json': { schema: bulkJobBodySchema } } } },
  responses: { 202: json(job, 'The job, started'), ...denied },
});
r.registerPath({
  method: 'get',
  path: '/api/bulk-jobs/{id}',
  tags: ['tasks'],
  security,
  summary: 'A bulk job’s progress and per-item results (its owner or an administrator)',
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: { 200: json(job, 'Progress'), 404: json(error, 'No such job for this user'), ...denied },
});
