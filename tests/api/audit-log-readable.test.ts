/**
 * The audit log as its readers read it: each event names its registration and school (not only a
 * UUID), the filters the console offers (actor, action, a day range in Beijing time, registration)
 * answer exactly the matching events, and every action code the system writes has a name in Chinese
 * and English.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../api/middleware/auth';
import { appendAuditEvent } from '../../domain/audit';
import { AUDIT_ACTIONS } from '../../domain/process/audit-actions';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';

let sys: TestSystem;
const as = (a: Actor) => tokenFor(sys.config, a);
const listOf = (filter: Record<string, unknown>, actor: Actor) => api(sys, 'GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=["id","ASC"]`, { token: as(actor) });

/** The Beijing calendar day of a time, and the day before it. */
function chinaDay(iso: string, offsetDays = 0): string {
  return new Date(Date.parse(iso) + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(() => sys.close());

describe('The audit log, readable', () => {
  test('When an administrator lists a registration’s events, then each names the registration and its school; an event about a school names that school', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const { school, staff } = await createSchoolWithStaff(sys.db);
    const reg = (await api(sys, 'POST', '/api/registrations', { token: as(staff), body: validRegistrationBody() })).body;
    const res = await listOf({ registrationId: reg.id }, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ action: 'registration.created', actorName: staff.name, registrationName: reg.name, schoolId: school.id, schoolName: school.name })]);
    const one = await api(sys, 'GET', `/api/audit-events/${res.body[0].id}`, { token: as(admin) });
    expect(one.body).toEqual(res.body[0]);

    const about = await appendAuditEvent(sys.db, { action: 'school.updated', actorId: admin.id, actorName: admin.name, details: { schoolId: school.id } });
    const schoolEvent = await api(sys, 'GET', `/api/audit-events/${about.id}`, { token: as(admin) });
    expect(schoolEvent.body).toMatchObject({ registrationId: null, registrationName: null, schoolId: school.id, schoolName: school.name });
  });

  test('When filtered by actor, actions, a Beijing day range and registration, then exactly the matching events come back', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const { staff } = await createSchoolWithStaff(sys.db);
    const first = (await api(sys, 'POST', '/api/registrations', { token: as(staff), body: validRegistrationBody() })).body;
    const second = (await api(sys, 'POST', '/api/registrations', { token: as(staff), body: validRegistrationBody() })).body;
    const edited = await api(sys, 'PUT', `/api/registrations/${first.id}`, { token: as(staff), body: { ...first, name: `${first.name} 修订` } });
    expect(edited.status).toBe(200);

    const mine = await listOf({ actorId: staff.id }, admin);
    expect(mine.body.map((e: { action: string; registrationId: string }) => [e.action, e.registrationId])).toEqual([
      ['registration.created', first.id],
      ['registration.created', second.id],
      ['registration.updated', first.id],
    ]);
    const at = mine.body[0].at as string;

    const byActions = await listOf({ actorId: staff.id, action: ['registration.updated', 'registration.deleted'] }, admin);
    expect(byActions.body.map((e: { action: string }) => e.action)).toEqual(['registration.updated']);

    const byRegistration = await listOf({ actorId: staff.id, registrationId: second.id }, admin);
    expect(byRegistration.body.map((e: { registrationName: string }) => e.registrationName)).toEqual([second.name]);

    // The console sends a day as its first and last instant in Beijing time.
    const day = (d: string) => ({ atFrom: `${d}T00:00:00+08:00`, atTo: `${d}T23:59:59.999+08:00` });
    expect((await listOf({ actorId: staff.id, ...day(chinaDay(at)) }, admin)).body).toHaveLength(3);
    expect((await listOf({ actorId: staff.id, ...day(chinaDay(at, -1)) }, admin)).body).toEqual([]);
    expect((await listOf({ actorId: staff.id, atFrom: `${chinaDay(at, 1)}T00:00:00+08:00` }, admin)).body).toEqual([]);

    const bad = await listOf({ atTo: '2026-13-40T00:00:00+08:00' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.errors['filter.atTo']).toMatch(/不是有效日期.*Not a valid date/);
  });

  test('When the source writes an audit action, then the action has a Chinese and an English name', () => {
    const root = path.resolve(__dirname, '../..');
    const written = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          // `action: 'x.y'` in an append, and stamp.ts's auditAction option.
          for (const m of text.matchAll(/(?:action|auditAction)\s*(?::|\?\?)\s*'([a-z_]{2,}\.[a-z_]+)'/g)) written.add(m[1]);
        }
      }
    };
    for (const dir of ['api', 'domain', 'worker', 'workflows', 'platform']) walk(path.join(root, dir));
    expect(written.size).toBeGreaterThan(40);
    const names = AUDIT_ACTIONS as Record<string, { zh: string; en: string }>;
    expect([...written].filter((code) => !names[code]?.zh || !names[code]?.en).sort()).toEqual([]);
  });
});
