/**
 * A workflow whose reminder or due time comes first asks for the deadline-policy version: a change
 * whose propagation signal never reached it still moves its deadlines instead of reminding or
 * escalating on the old ones.
 */
import { insertVersion, reserveVersion } from '../../domain/policies/versions';
import { startSystem, type TestSystem } from '../support/harness';
import { createCast, draftRegistration, eventually, openTaskOf, setPolicyRow, submit, type Cast } from './support';

let sys: TestSystem;
let cast: Cast;

beforeAll(async () => {
  // Policies are global: this suite changes them on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  cast = await createCast(sys.db);
});
afterAll(async () => {
  await sys?.close();
});

test('When a policy changes and its signal never comes, then at its reminder time the registration moves its deadlines instead of reminding or escalating', async () => {
  await setPolicyRow(sys.db, 'lead_school_opinion', { dueSeconds: 8, remindBeforeSeconds: 4, escalateToRole: 'admin' });
  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
  expect(new Date(task.dueAt).getTime() - new Date(task.createdAt).getTime()).toBe(8_000);

  // The change as a PUT records it (table and version), but no propagation ever signals anyone.
  await setPolicyRow(sys.db, 'lead_school_opinion', { dueSeconds: 7200, remindBeforeSeconds: 0, escalateToRole: 'admin' });
  const version = await reserveVersion(sys.db);
  await insertVersion(sys.db, {
    version,
    step: 'lead_school_opinion',
    policy: { step: 'lead_school_opinion', dueSeconds: 7200, remindBeforeSeconds: 0, escalateToRole: 'admin' } as never,
    total: 0,
    workflowId: `lost-propagation-${version}`,
    createdBy: cast.admin.id,
  });

  const moved = await eventually(async () => {
    const t = await sys.db('tasks').where({ id: task.id }).first();
    return new Date(t.dueAt).getTime() - new Date(t.createdAt).getTime() === 7_200_000 ? t : null;
  }, 20_000, 'the due time to move to the new policy');
  expect({ overdue: moved.overdue, remindedAt: moved.remindedAt }).toEqual({ overdue: false, remindedAt: null });
});
