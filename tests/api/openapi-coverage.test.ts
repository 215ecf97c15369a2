import { api, startSystem, type TestSystem } from '../support/harness';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(() => sys.close());

test('When a client reads /api/openapi.json, then the file, print, PDF, signature, stamp, signing-key, verify and notification routes are described', async () => {
  const res = await api(sys, 'GET', '/api/openapi.json');
  const described = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(described).toEqual(
    expect.arrayContaining([
      'POST /api/files',
      'GET /api/files/{id}',
      'GET /api/registrations/{id}/print',
      'GET /api/registrations/{id}/form.pdf',
      'GET /api/registrations/{id}/signature',
      'PUT /api/schools/{id}/stamp',
      'GET /api/schools/{id}/stamp',
      'GET /api/signing-key',
      'GET /api/audit-events/verify',
      'GET /api/notifications',
      'GET /api/notifications/{id}',
      'PUT /api/notifications/{id}',
      'POST /api/notifications/{id}/read',
      'POST /api/notifications/read-all',
      'POST /api/tasks/{id}/transfer',
      'GET /api/tasks/{id}/transfer-candidates',
      'POST /api/tasks/{id}/urge',
      'GET /api/delegations',
      'GET /api/delegations/candidates',
      'GET /api/delegations/{id}',
      'POST /api/delegations',
      'PUT /api/delegations/{id}',
      'DELETE /api/delegations/{id}',
    ]),
  );
});
