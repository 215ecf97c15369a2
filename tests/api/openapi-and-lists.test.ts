import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchoolWithStaff, createUser } from '../support/fixtures';

let sys: TestSystem;
let admin: Actor;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
});
afterAll(() => sys.close());

describe('GET /api/openapi.json', () => {
  test('When fetched, then it is an OpenAPI 3.1 document whose schemas come from the validation schemas', async () => {
    const res = await api(sys, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of ['/api/registrations', '/api/registrations/{id}', '/api/schools', '/api/users', '/api/party-types', '/api/form-fields', '/api/audit-events', '/api/auth/login']) {
      expect(res.body.paths).toHaveProperty([path]);
    }
    const create = res.body.components.schemas.RegistrationCreate;
    expect(create.additionalProperties).toBe(false); // unknown fields are refused, and the document says so
    expect(create.required).toEqual(expect.arrayContaining(['name', 'legalRepresentative', 'formedOn']));
    expect(res.body.components.schemas.MemberUnit.properties).toHaveProperty('partyType');
    expect(res.body.components.schemas.RegistrationUpdate.required).toContain('version');
    expect(res.body.paths['/api/registrations'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RegistrationCreate');
  });
});

describe('The list contract on bad parameters', () => {
  test('When sort, range or filter is not valid JSON of the right shape, then 400 names the parameter', async () => {
    const token = tokenFor(sys.config, admin);
    const cases: [string, string][] = [
      ['sort=[name', 'sort'],
      ['sort=["name","SIDEWAYS"]', 'sort'],
      ['range=[5,1]', 'range'],
      ['range=[0,"x"]', 'range'],
      ['range=[0,5000]', 'range'],
      ['filter=[1,2]', 'filter'],
      ['filter={"id":"abc"}', 'filter.id'],
    ];
    for (const [query, field] of cases) {
      const res = await api(sys, 'GET', `/api/schools?${query}`, { token });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.errors).toHaveProperty([field]);
    }
  });

  test('When a page lies past the end, then an empty array with the total in Content-Range', async () => {
    const { school } = await createSchoolWithStaff(sys.db);
    const res = await api(sys, 'GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ schoolId: school.id }))}&range=[10,19]`, { token: tokenFor(sys.config, admin) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers.get('content-range')).toBe('users */3');
  });

  test('When getMany asks for an empty id list, then nothing comes back', async () => {
    const res = await api(sys, 'GET', `/api/schools?filter=${encodeURIComponent('{"id":[]}')}`, { token: tokenFor(sys.config, admin) });
    expect(res.body).toEqual([]);
    expect(res.headers.get('content-range')).toBe('schools */0');
  });

  test('When the console runs on another origin, then Content-Range is exposed to its scripts', async () => {
    const cross = await startSystem({ worker: false, env: { CORS_ORIGIN: 'http://localhost:5173' } });
    try {
      const res = await api(cross, 'GET', '/api/schools', { token: tokenFor(cross.config, admin), headers: { origin: 'http://localhost:5173' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range/);
      expect(res.headers.get('content-range')).toMatch(/^schools /);
    } finally {
      await cross.close();
    }
  });
});
