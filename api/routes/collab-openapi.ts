/** OpenAPI paths of comments and 抄送 (copies), added to the shared registry at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';
import { commentBodySchema } from '../usecases/comments';

const security = [{ bearer: [] }];
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const params = z.object({ id: z.string().uuid() });
const comment = z
  .object({
    id: z.string(),
    registrationId: z.string(),
    authorId: z.number(),
    authorName: z.string().nullable(),
    body: z.string(),
    fileIds: z.array(z.string()),
    files: z.array(z.object({ id: z.string(), mediaType: z.string(), originalName: z.string().nullable(), size: z.number() })),
    createdAt: z.string(),
  })
  .meta({ id: 'Comment' });
const denied = { 400: json(error, 'Invalid input (field errors, zh + en)'), 401: json(error, 'Not signed in'), 403: json(error, 'Not allowed'), 404: json(error, 'No such registration for this user') };

r.registerPath({
  method: 'get',
  path: '/api/registrations/{id}/comments',
  tags: ['registrations'],
  security,
  summary: 'The comments on a registration, oldest first (everyone in its chain, and the users it was copied to)',
  request: { params },
  responses: { 200: json(z.array(comment), 'Comments'), ...denied },
});
r.registerPath({
  method: 'post',
  path: '/api/registrations/{id}/comments',
  tags: ['registrations'],
  security,
  summary: 'Comment, with attachments the commenter uploaded (an audit event; shown in the timeline)',
  request: { params, headers: z.object({ 'idempotency-key': z.string().optional() }), body: { content: { 'application/json': { schema: commentBodySchema } } } },
  responses: { 201: json(comment, 'The comment'), ...denied },
});
r.registerPath({
  method: 'post',
  path: '/api/registrations/{id}/comments/files',
  tags: ['registrations'],
  security,
  summary: 'Upload an attachment for a comment (multipart `file` or JSON {dataUrl, name}; PNG/JPEG, size-limited)',
  request: { params },
  responses: { 201: json(z.object({ id: z.string(), mediaType: z.string(), size: z.number() }), 'The stored file'), ...denied },
});
r.registerPath({
  method: 'post',
  path: '/api/registrations/{id}/copies/read',
  tags: ['tasks'],
  security,
  summary: 'Mark the caller’s copies (抄送) of a registration read (opening it with GET /api/registrations/{id} does too)',
  request: { params },
  responses: { 200: json(z.object({ registrationId: z.string(), marked: z.number(), unread: z.number() }), 'Marked; the caller’s unread count'), ...denied },
});
r.registerPath({
  method: 'get',
  path: '/api/copies/unread-count',
  tags: ['tasks'],
  security,
  summary: 'How many registrations copied to the caller (抄送我的) are unread',
  responses: { 200: json(z.object({ unread: z.number() }), 'The count'), 401: json(error, 'Not signed in') },
});
