/**
 * OpenAPI paths of the document routes (files, print view, PDF, signature check, school stamp,
 * signing key, audit-chain verification) and the notification reads, added to the shared registry
 * at module load.
 */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';

const security = [{ bearer: [] }];
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() });
const denied = {
  400: json(error, 'Invalid input (field errors)'),
  401: json(error, 'Not signed in'),
  403: json(error, 'Not allowed for this role'),
  404: json(error, 'Not found or outside your scope'),
};
const uuidParams = z.object({ id: z.string().meta({ format: 'uuid' }) });
const intParams = z.object({ id: z.string().meta({ example: '1' }) });
const binary = (mediaType: string, description: string) => ({ description, content: { [mediaType]: { schema: z.string().meta({ format: 'binary' }) } } });

const StoredFile = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    mediaType: z.string().meta({ example: 'image/png' }),
    sizeBytes: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    sha256: z.string(),
    originalName: z.string().nullable(),
  })
  .passthrough()
  .meta({ id: 'StoredFile' });
const uploadBody = {
  content: {
    'multipart/form-data': {
      schema: z.object({ file: z.string().meta({ format: 'binary' }), kind: z.string().optional() }),
    },
    'application/json': {
      schema: z.object({
        dataUrl: z.string().meta({ description: 'data:image/png;base64,… (PNG, JPEG or WebP; the type is sniffed from the bytes)' }),
        name: z.string().max(255).optional(),
        kind: z.string().optional(),
      }),
    },
  },
};

r.registerPath({
  method: 'post',
  path: '/api/files',
  tags: ['files'],
  security,
  summary: 'Upload an image (evidence, a drawn signature); size and pixel limits apply',
  request: { body: uploadBody },
  responses: { 201: json(StoredFile, 'Stored'), 413: json(error, 'Too large'), ...denied },
});
r.registerPath({
  method: 'get',
  path: '/api/files/{id}',
  tags: ['files'],
  security,
  request: { params: uuidParams },
  responses: { 200: binary('image/*', 'The image bytes'), ...denied },
});

r.registerPath({
  method: 'get',
  path: '/api/registrations/{id}/print',
  tags: ['documents'],
  security,
  summary: 'The printable registration form (登记表) as HTML',
  request: { params: uuidParams },
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...denied },
});
r.registerPath({
  method: 'get',
  path: '/api/registrations/{id}/form.pdf',
  tags: ['documents'],
  security,
  summary: 'The registration form as PDF (embedded CJK font, signature and stamp when signed)',
  request: { params: uuidParams },
  responses: { 200: binary('application/pdf', 'PDF'), ...denied },
});
r.registerPath({
  method: 'get',
  path: '/api/registrations/{id}/signature',
  tags: ['documents'],
  security,
  summary: 'Verifies the principal’s signature against the current content',
  request: { params: uuidParams },
  responses: {
    200: json(
      z
        .object({
          verdict: z.enum(['unsigned', 'valid', 'content_changed', 'invalid']),
          currentContentHash: z.string(),
          record: z.record(z.string(), z.unknown()).nullable(),
        })
        .passthrough()
        .meta({ id: 'SignatureVerification' }),
      'The verdict',
    ),
    ...denied,
  },
});

for (const method of ['put', 'post'] as const) {
  r.registerPath({
    method,
    path: '/api/schools/{id}/stamp',
    tags: ['schools'],
    security,
    summary: 'Upload the school’s official stamp (admin, or the school’s principal)',
    request: { params: intParams, body: uploadBody },
    responses: { 201: json(z.object({ schoolId: z.number().int(), stampFileId: z.string(), file: StoredFile }), 'Stored'), ...denied },
  });
}
r.registerPath({
  method: 'get',
  path: '/api/schools/{id}/stamp',
  tags: ['schools'],
  security,
  request: { params: intParams },
  responses: { 200: binary('image/*', 'The stamp image'), ...denied },
});

r.registerPath({
  method: 'get',
  path: '/api/signing-key',
  tags: ['documents'],
  summary: 'The server’s Ed25519 public key, for verifying stored signature statements offline',
  responses: {
    200: json(z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyPem: z.string() }).meta({ id: 'SigningKey' }), 'The public key'),
  },
});

r.registerPath({
  method: 'get',
  path: '/api/audit-events/verify',
  tags: ['audit'],
  security,
  summary: 'Re-computes the audit hash chains and their anchors; names the first event or anchor that does not verify',
  responses: {
    200: json(
      z.object({
        ok: z.boolean(),
        checked: z.number().int(),
        firstBrokenId: z.string().nullable(),
        reason: z.string().nullable().describe('hash | prev_hash | stream | anchor'),
        anchorId: z.string().nullable().describe('with reason anchor: the first audit anchor whose recorded stream heads are gone'),
        message: z.string(),
        firstBroken: z.record(z.string(), z.unknown()).nullable(),
      }),
      'The result of the check',
    ),
    401: denied[401],
    403: denied[403],
  },
});

const Notification = z.record(z.string(), z.unknown()).meta({ id: 'Notification' });
r.registerPath({
  method: 'get',
  path: '/api/notifications/{id}',
  tags: ['notifications'],
  security,
  request: { params: intParams },
  responses: { 200: json(Notification, 'One of the signed-in user’s notifications'), ...denied },
});
r.registerPath({
  method: 'put',
  path: '/api/notifications/{id}',
  tags: ['notifications'],
  security,
  request: { params: intParams, body: { content: { 'application/json': { schema: z.object({ read: z.boolean().default(true) }) } } } },
  responses: { 200: json(Notification, 'Marked read or unread'), ...denied },
});
