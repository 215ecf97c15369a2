/**
 * GET /api/openapi.json, generated from the same zod schemas the routes validate with.
 * Other routers may add their paths: import { openApiRegistry } and call registerPath at module load.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { formFieldInputSchema, formFieldSchema } from '../domain/registrations/form-fields';
import { registrationCreateSchema, registrationFilterSchema, registrationSchema, registrationUpdateSchema } from '../domain/registrations/schema';
import { loginSchema, refreshSchema, sessionSchema, userCreateSchema, userFilterSchema, userSchema, userUpdateSchema } from '../domain/users/schema';
import { auditEventFilterSchema, auditEventSchema } from './usecases/audit-events';
import { formFieldFilterSchema } from './usecases/form-fields';
import { partyTypeFilterSchema, partyTypeSchema } from './usecases/party-types';
import { districtSchema, schoolFilterSchema, schoolInputSchema, schoolSchema } from './usecases/schools';

export const openApiRegistry = new OpenAPIRegistry();
const r = openApiRegistry;

r.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

const errorSchema = z
  .object({
    message: z.string().meta({ example: '输入有误 / Invalid input' }),
    code: z.string(),
    errors: z.record(z.string(), z.string()).optional().meta({ description: 'Field errors by dotted path', example: { 'memberUnits.1.name': '成员单位名称重复 / Duplicate member unit name' } }),
  })
  .meta({ id: 'Error' });

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(errorSchema, 'Invalid input (field errors)'),
  401: json(errorSchema, 'Not signed in'),
  403: json(errorSchema, 'Not allowed for this role'),
  404: json(errorSchema, 'Not found or outside your scope'),
};

const listQuery = (filter: z.ZodType) =>
  z.object({
    sort: z.string().optional().meta({ description: 'JSON ["field","ASC"|"DESC"]', example: '["id","ASC"]' }),
    range: z.string().optional().meta({ description: 'JSON [start,end], inclusive', example: '[0,24]' }),
    filter: z.string().optional().meta({
      description: `JSON object with any of: ${filter instanceof z.ZodObject ? Object.keys(filter.shape).join(', ') : ''}; {"id":[...]} is getMany`,
      example: '{"id":[1,2]}',
    }),
  });

interface ResourceSpec {
  path: string;
  tag: string;
  record: z.ZodType;
  filter: z.ZodType;
  idParam: z.ZodType;
  create?: z.ZodType;
  update?: z.ZodType;
  remove?: boolean;
  readOnly?: boolean;
}

function resource(spec: ResourceSpec) {
  const security = [{ bearer: [] }];
  const params = z.object({ id: spec.idParam });
  r.registerPath({
    method: 'get',
    path: `/api/${spec.path}`,
    tags: [spec.tag],
    security,
    summary: `List ${spec.path} (ra-data-simple-rest getList / getMany)`,
    request: { query: listQuery(spec.filter) },
    responses: {
      200: { ...json(z.array(spec.record), 'One page'), headers: { 'Content-Range': { description: `${spec.path} 0-24/319`, schema: { type: 'string' } } } },
      ...errors,
    },
  });
  r.registerPath({ method: 'get', path: `/api/${spec.path}/{id}`, tags: [spec.tag], security, request: { params }, responses: { 200: json(spec.record, 'The record'), ...errors } });
  if (spec.create) {
    r.registerPath({
      method: 'post',
      path: `/api/${spec.path}`,
      tags: [spec.tag],
      security,
      request: { body: { content: { 'application/json': { schema: spec.create } } } },
      responses: { 201: json(spec.record, 'Created'), ...errors },
    });
  }
  if (spec.update) {
    r.registerPath({
      method: 'put',
      path: `/api/${spec.path}/{id}`,
      tags: [spec.tag],
      security,
      request: { params, body: { content: { 'application/json': { schema: spec.update } } } },
      responses: { 200: json(spec.record, 'Updated'), 409: json(errorSchema, 'Conflict (stale version, wrong state)'), ...errors },
    });
  }
  if (spec.remove) {
    r.registerPath({
      method: 'delete',
      path: `/api/${spec.path}/{id}`,
      tags: [spec.tag],
      security,
      request: { params },
      responses: { 200: json(spec.record, 'The deleted (or deactivated) record'), 409: json(errorSchema, 'Cannot be deleted'), ...errors },
    });
  }
}

const intId = z.string().meta({ example: '1' });
const uuid = z.string().meta({ format: 'uuid' });

resource({
  path: 'registrations',
  tag: 'registrations',
  record: registrationSchema,
  filter: registrationFilterSchema,
  idParam: uuid,
  create: registrationCreateSchema,
  update: registrationUpdateSchema,
  remove: true,
});
resource({ path: 'schools', tag: 'schools', record: schoolSchema, filter: schoolFilterSchema, idParam: intId, create: schoolInputSchema, update: schoolInputSchema, remove: true });
resource({ path: 'districts', tag: 'schools', record: districtSchema, filter: z.object({ id: z.array(z.number()).optional() }), idParam: intId });
resource({ path: 'users', tag: 'users', record: userSchema, filter: userFilterSchema, idParam: intId, create: userCreateSchema, update: userUpdateSchema, remove: true });
resource({ path: 'party-types', tag: 'catalog', record: partyTypeSchema, filter: partyTypeFilterSchema, idParam: z.string().meta({ example: 'school' }) });
resource({ path: 'form-fields', tag: 'form-fields', record: formFieldSchema, filter: formFieldFilterSchema, idParam: intId, create: formFieldInputSchema, update: formFieldInputSchema, remove: true });
resource({ path: 'audit-events', tag: 'audit', record: auditEventSchema, filter: auditEventFilterSchema, idParam: intId });

r.registerPath({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  request: { body: { content: { 'application/json': { schema: loginSchema } } } },
  responses: { 200: json(sessionSchema, 'Signed in'), 400: errors[400], 401: json(errorSchema, 'Wrong username or password (after repeated failures the answer is delayed, never refused)') },
});
r.registerPath({
  method: 'post',
  path: '/api/auth/refresh',
  tags: ['auth'],
  request: { body: { content: { 'application/json': { schema: refreshSchema } } } },
  responses: { 200: json(sessionSchema, 'A new access token and a new refresh token (the old one is spent)'), 400: errors[400], 401: errors[401] },
});
r.registerPath({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  request: { body: { content: { 'application/json': { schema: refreshSchema } } } },
  responses: { 204: { description: 'The refresh token is revoked' }, 400: errors[400] },
});
r.registerPath({ method: 'get', path: '/api/auth/me', tags: ['auth'], security: [{ bearer: [] }], responses: { 200: json(userSchema, 'The signed-in user'), 401: errors[401] } });

let cached: unknown;
export function openApiDocument(): unknown {
  cached ??= new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: '教联体登记与审批 API / Education alliance registration API', version: '1.0.0' },
    servers: [{ url: '/' }],
  });
  return cached;
}

export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
