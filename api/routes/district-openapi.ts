/** OpenAPI entries for the district operations (imports, exports, overview, single sign-on), registered at module load. */
import { z } from 'zod';
import { openApiRegistry as r } from '../openapi';

const security = [{ bearer: [] }];
const xlsx = (description: string) => ({ description, content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } } });
const error = (description: string) => ({ description, content: { 'application/json': { schema: z.object({ message: z.string(), code: z.string(), errors: z.record(z.string(), z.string()).optional() }) } } });
const importResult = z
  .object({
    kind: z.enum(['schools', 'users']),
    dryRun: z.boolean(),
    total: z.number().int(),
    counts: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), error: z.number().int() }),
    rows: z.array(z.object({ row: z.number().int(), action: z.enum(['create', 'update', 'unchanged', 'error']), values: z.record(z.string(), z.string()), errors: z.record(z.string(), z.string()).optional() })),
  })
  .meta({ id: 'ImportResult' });

for (const kind of ['schools', 'users'] as const) {
  r.registerPath({ method: 'get', path: `/api/imports/${kind}/template.xlsx`, tags: ['imports'], security, responses: { 200: xlsx('The template, Chinese headers'), 403: error('Administrators only') } });
  r.registerPath({
    method: 'post',
    path: `/api/imports/${kind}`,
    tags: ['imports'],
    security,
    request: {
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } } },
    },
    responses: {
      200: {
        description:
          'Preview (dryRun) or the applied import. With `Accept: application/x-ndjson`: `{"progress": {phase, done, total}}` lines while it runs (phase read, check, passwords, write), then one `{"status", "body"}` line with the status and body the JSON answer would have had',
        content: {
          'application/json': { schema: importResult },
          'application/x-ndjson': {
            schema: z.union([
              z.object({ progress: z.object({ phase: z.enum(['read', 'check', 'passwords', 'write']), done: z.number().int(), total: z.number().int() }) }),
              z.object({ status: z.number().int(), body: z.unknown() }),
            ]),
          },
        },
      },
      400: error('Malformed, formula, too large or zip-bomb file; or rows with errors (the rows come back, nothing is written)'),
      403: error('Administrators only'),
    },
  });
}
for (const resource of ['registrations', 'tasks', 'audit-events']) {
  r.registerPath({
    method: 'get',
    path: `/api/${resource}/export.xlsx`,
    tags: ['exports'],
    security,
    request: { query: z.object({ filter: z.string().optional(), sort: z.string().optional() }) },
    responses: { 200: xlsx('Every row of the filtered list, streamed'), 400: error('Invalid filter or sort') },
  });
}
r.registerPath({ method: 'get', path: '/api/overview', tags: ['overview'], security, request: { query: z.object({ districtId: z.string().optional() }) }, responses: { 200: { description: 'The district overview (see api/usecases/overview.ts)', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, 403: error('Bureau and administrators only') } });
r.registerPath({ method: 'get', path: '/api/auth/providers', tags: ['auth'], responses: { 200: { description: 'Ways to sign in', content: { 'application/json': { schema: z.object({ password: z.boolean(), oidc: z.object({ enabled: z.boolean(), label: z.string().optional(), loginUrl: z.string().optional() }) }) } } } } });
r.registerPath({ method: 'get', path: '/api/auth/oidc/login', tags: ['auth'], responses: { 302: { description: 'To the identity provider' }, 404: error('Single sign-on not configured') } });
r.registerPath({ method: 'get', path: '/api/auth/oidc/callback', tags: ['auth'], responses: { 302: { description: 'Back to the console: #/login?sso=<refresh token> or #/login?ssoError=<reason>' } } });
