/**
 * One batch of the fault suite, shared by the kill -9 test and the soak: registrations driven from
 * several lanes, one part killed mid-batch and restarted, then everything the issue asks checked.
 */
import { verifyAuditChain } from '../../domain/audit';
import { stateQuery } from '../../workflows/shared';
import { HANG_MS, until, type Cast, type FaultSystem, type Part } from './support';

export const LANES = Number(process.env.JLT_FAULT_LANES ?? 4);
export const CHAINS_PER_LANE = Number(process.env.JLT_FAULT_CHAINS ?? 3);
/** Accepted actions in a batch before the kill: the load is flowing. */
export const KILL_AFTER = Number(process.env.JLT_FAULT_KILL_AFTER ?? 10);
const DECISIONS = ['registration.submitted', 'registration.lead_school_opinion_given', 'registration.signed', 'registration.approved'];

/** Every open task is in its actor's inbox (re-read: it may have been done meanwhile). Answers the missing ones. */
async function openTasksAreInInboxes(sys: FaultSystem, cast: Cast) {
  const open = await sys.db('tasks').where({ status: 'open' }).select('id', 'step', 'registrationId');
  const byActor: Record<string, string[]> = {};
  const actorOf: Record<string, keyof Cast> = { lead_school_opinion: 'leader', principal_signature: 'principal', bureau_approval: 'bureau' };
  for (const role of new Set(Object.values(actorOf))) {
    const res = await until(`the ${role}'s inbox`, async () => {
      const r = await sys.call(cast[role], 'GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: true }))}&range=[0,499]`);
      return r?.status === 200 ? r : undefined;
    });
    byActor[role] = (res.body as { id: string }[]).map((t) => t.id);
  }
  const missing = [];
  for (const t of open) {
    if (byActor[actorOf[t.step]]?.includes(t.id)) continue;
    const still = await sys.db('tasks').where({ id: t.id }).first('status');
    if (still?.status === 'open') missing.push(t);
  }
  return missing;
}

/** Everything the issue asks after a restart, over the given registrations (all finished). */
export async function checkInvariants(sys: FaultSystem, ids: string[]) {
  const mine = new Set(ids);
  // Nothing accepted is lost: every 2xx is reflected.
  for (const a of sys.accepted.filter((x) => mine.has(x.registrationId))) {
    const reg = await sys.db('registrations').where({ id: a.registrationId }).first('status');
    expect(reg).toBeDefined();
    if (a.kind === 'submit') expect(reg.status).not.toBe('draft');
    if (a.kind === 'complete') {
      const task = await sys.db('tasks').where({ id: a.taskId }).first('status', 'outcome');
      expect({ task: a.taskId, status: task?.status, outcome: task?.outcome }).toEqual({ task: a.taskId, status: 'done', outcome: a.action });
    }
  }
  // Workflow and database agree, one task per step, one audit event per decision, one notice per assignee.
  const states = await sys.withTemporal((client) =>
    Promise.all(ids.map(async (id) => [id, await client.workflow.getHandle(`registration-${id}`).query(stateQuery)] as const)),
  );
  for (const [id, state] of states) {
    const row = await sys.db('registrations').where({ id }).first('status');
    expect({ id, workflow: state.status, database: row.status }).toEqual({ id, workflow: 'active', database: 'active' });
    expect(state.openTask).toBeNull();
    const tasks = await sys.db('tasks').where({ registrationId: id }).orderBy('createdAt').select('id', 'step', 'round', 'status', 'outcome');
    expect({ id, tasks: tasks.map((t) => [t.step, t.round, t.status, t.outcome]) }).toEqual({
      id,
      tasks: [
        ['lead_school_opinion', 1, 'done', 'opinion'],
        ['principal_signature', 1, 'done', 'sign'],
        ['bureau_approval', 1, 'done', 'approve'],
      ],
    });
    const actions: string[] = await sys.db('auditEvents').where({ registrationId: id }).pluck('action');
    const counts = Object.fromEntries([...DECISIONS, 'task.opened'].map((a) => [a, actions.filter((x) => x === a).length]));
    expect({ id, counts }).toEqual({ id, counts: { ...Object.fromEntries(DECISIONS.map((a) => [a, 1])), 'task.opened': 3 } });
    const notices = await sys.db('notifications').where({ registrationId: id, kind: 'task_assigned' }).select('taskId', 'recipientUserId');
    const keys = notices.map((n) => `${n.taskId}:${n.recipientUserId}`);
    expect({ id, duplicated: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ id, duplicated: [] });
    expect({ id, tasksNotified: new Set(notices.map((n) => n.taskId)).size }).toEqual({ id, tasksNotified: 3 });
  }
  const chain = await verifyAuditChain(sys.db);
  expect(chain).toMatchObject({ ok: true, firstBrokenId: null });
}

/**
 * LANES × CHAINS_PER_LANE registrations from draft to approval under a steady read load; `part`
 * SIGKILLed once the load flows, and restarted. Asserts the checks over the batch and the
 * `earlier` registrations (a kill must not disturb finished ones either); answers the batch's ids and figures.
 * `which`: whose worker or API (several supervisors), or which history process. `holdDown`: the part stays down
 * until every registration in flight at the kill has had an action accepted without it — the rest of a cluster
 * carries all the load, not only what never touched the dead part.
 */
export async function batchWithKill(
  sys: FaultSystem,
  cast: Cast,
  part: Part,
  earlier: string[] = [],
  opts: { which?: number; holdDown?: boolean } = {},
): Promise<{ ids: string[]; figures: Record<string, unknown> }> {
  const before = sys.accepted.length;
  const callsBefore = sys.calls.length;
  const batch = Promise.all(
    Array.from({ length: LANES }, async () => {
      const ids: string[] = [];
      for (let i = 0; i < CHAINS_PER_LANE; i++) ids.push(await sys.chain(cast));
      return ids;
    }),
  );
  const readers = sys.readers(cast);
  await until('the load to flow', () => sys.accepted.length - before >= KILL_AFTER);
  const killing = Date.now();
  // In flight: the batch's registrations whose last accepted action is not the final approval.
  const last = new Map(sys.accepted.slice(before).map((a) => [a.registrationId, a] as const));
  const inFlight = [...last.values()].filter((a) => !(a.kind === 'complete' && a.action === 'approve')).map((a) => a.registrationId);
  const movedSince = (t: number) => new Set(sys.accepted.filter((a, i) => i >= before && a.at > t).map((a) => a.registrationId));
  const { killedAt, backAt } = await sys.kill(part, {
    which: opts.which,
    restartWhen: opts.holdDown ? () => inFlight.every((id) => movedSince(killing).has(id)) : undefined,
  });
  const whileDown = sys.accepted.filter((a, i) => i >= before && a.at >= killedAt && a.at <= backAt);
  // The first action accepted after the restart: the system answers again.
  const firstAccepted = await until('an action accepted after the restart', () => sys.accepted.find((a, i) => i >= before && a.at > backAt));
  expect(await openTasksAreInInboxes(sys, cast)).toEqual([]);

  const ids = (await batch).flat();
  await readers.stop();
  await checkInvariants(sys, [...earlier, ...ids]);

  // Calls that were under way at any moment while the part was down (killed, not yet restarted).
  const during = sys.calls.slice(callsBefore).filter((c) => c.at <= backAt && c.at + c.ms >= killedAt);
  const statuses: Record<string, number> = {};
  for (const c of during) statuses[String(c.status)] = (statuses[String(c.status)] ?? 0) + 1;
  const slowest = Math.max(0, ...during.map((c) => c.ms));
  // While a part is down, every call answers (or is refused at once) in bounded time: no hang,
  // and no 500 — a part that is down is a 503.
  expect(during.filter((c) => c.status === 'hang')).toEqual([]);
  expect(slowest).toBeLessThan(HANG_MS);
  expect({ fiveHundreds: during.filter((c) => c.status === 500), log: sys.serverErrors() }).toEqual({ fiveHundreds: [], log: [] });
  const figures = {
    part: opts.which === undefined ? part : `${part} ${opts.which + 1}`,
    downMs: backAt - killedAt,
    inFlightAtKill: inFlight.length,
    acceptedWhileDown: whileDown.length,
    firstAcceptedWhileDownMs: whileDown.length ? whileDown[0].at - killedAt : null,
    firstAcceptedAfterRestartMs: firstAccepted.at - backAt,
    callsWhileDown: during.length,
    statusesWhileDown: statuses,
    slowestCallWhileDownMs: slowest,
    registrations: ids.length,
    accepted: sys.accepted.length - before,
  };
  return { ids, figures };
}
