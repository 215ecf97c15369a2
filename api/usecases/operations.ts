/**
 * The operator's view: is everything up (Postgres, Temporal, workers polling), which registrations
 * wait in a step longer than its policy allows, which workflow activities fail or retry (with the
 * last error, from Temporal's own descriptions), and the outbox backlog.
 */
import { optionalTsToDate } from '@temporalio/common';
import type { AppDeps } from '../deps';
import { REGISTRATION_WORKFLOW_TYPE, registrationWorkflowId } from '../../workflows/shared';

/** Temporal's TaskQueueType (temporal.api.enums.v1). */
const TASK_QUEUE_TYPE = { workflow: 1, activity: 2 } as const;
const PENDING_ACTIVITY_STATES: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel_requested', 4: 'paused', 5: 'pause_requested' };
/** A poller counts as live when it polled this recently (a long poll lasts up to a minute). */
const LIVE_POLLER_MS = 90_000;
/** How many running workflows one look describes; the page says when there were more. */
const MAX_DESCRIBED = 500;
const DESCRIBE_PARALLELISM = 16;
const MAX_STUCK = 200;

export interface Poller {
  identity: string;
  lastAccessTime: string | null;
}
export interface Check {
  ok: boolean;
  error?: string;
}
export interface Links {
  /** The workflow in the Temporal UI, when TEMPORAL_UI_URL is configured. */
  temporal: string | null;
}
export interface StuckRegistration {
  registrationId: string;
  registrationName: string;
  schoolName: string;
  taskId: string;
  step: string;
  round: number;
  since: string;
  dueAt: string;
  policySeconds: number | null;
  overdueSeconds: number;
  links: Links;
}
export interface FailingActivity {
  registrationId: string;
  registrationName: string | null;
  workflowId: string;
  activityType: string;
  state: string;
  attempt: number;
  maximumAttempts: number | null;
  lastError: string | null;
  lastErrorType: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  links: Links;
}
export interface OutboxBacklog {
  configured: boolean;
  pending: number;
  failed: number;
  oldestPendingAt: string | null;
  lastError: string | null;
}
export interface OperationsView {
  checkedAt: string;
  temporalUiUrl: string | null;
  health: {
    postgres: Check & { latencyMs: number | null };
    temporal: Check;
    workers: Check & { taskQueue: string; workflowPollers: Poller[]; activityPollers: Poller[] };
  };
  stuck: StuckRegistration[];
  failingActivities: FailingActivity[];
  /** Running workflows looked at for failing activities, and whether there were more. */
  scanned: { described: number; truncated: boolean };
  outbox: OutboxBacklog;
}

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config'>;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);

function workflowLink({ config }: Deps, registrationId: string): Links {
  const base = config.TEMPORAL_UI_URL?.replace(/\/+$/, '');
  return {
    temporal: base ? `${base}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(registrationWorkflowId(registrationId))}` : null,
  };
}

async function postgresHealth({ db }: Deps): Promise<OperationsView['health']['postgres']> {
  const started = Date.now();
  try {
    await db.raw('select 1');
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: null, error: message(err) };
  }
}

async function temporalHealth(deps: Deps): Promise<{ temporal: Check; workers: OperationsView['health']['workers'] }> {
  const { temporal, config } = deps;
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const workers = { ok: false, taskQueue, workflowPollers: [] as Poller[], activityPollers: [] as Poller[] };
  try {
    await temporal.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
  } catch (err) {
    return { temporal: { ok: false, error: message(err) }, workers: { ...workers, error: 'Temporal unreachable' } };
  }
  try {
    const pollers = async (taskQueueType: number) => {
      const res = await temporal.workflowService.describeTaskQueue({ namespace: config.TEMPORAL_NAMESPACE, taskQueue: { name: taskQueue }, taskQueueType });
      return (res.pollers ?? []).map((p) => ({ identity: p.identity ?? '', lastAccessTime: iso(optionalTsToDate(p.lastAccessTime)) }));
    };
    [workers.workflowPollers, workers.activityPollers] = await Promise.all([pollers(TASK_QUEUE_TYPE.workflow), pollers(TASK_QUEUE_TYPE.activity)]);
    const live = (ps: Poller[]) => ps.some((p) => p.lastAccessTime && Date.now() - Date.parse(p.lastAccessTime) < LIVE_POLLER_MS);
    workers.ok = live(workers.workflowPollers) && live(workers.activityPollers);
    return { temporal: { ok: true }, workers: workers.ok ? workers : { ...workers, error: 'No worker polls the task queue' } };
  } catch (err) {
    return { temporal: { ok: true }, workers: { ...workers, error: message(err) } };
  }
}

/** Open tasks past the time their step's policy allows (due time, else start plus the policy's duration). */
async function stuckRegistrations(deps: Deps): Promise<StuckRegistration[]> {
  const { db } = deps;
  const rows = await db('tasks as t')
    .join('registrations as r', 'r.id', 't.registrationId')
    .join('schools as s', 's.id', 'r.schoolId')
    .leftJoin('deadlinePolicies as p', 'p.step', 't.step')
    .where('t.status', 'open')
    .whereRaw("coalesce(t.due_at, t.created_at + p.due_seconds * interval '1 second') < now()")
    .select(
      't.id as taskId',
      't.registrationId',
      't.step',
      't.round',
      't.createdAt as since',
      'p.dueSeconds as policySeconds',
      'r.name as registrationName',
      's.name as schoolName',
      db.raw("coalesce(t.due_at, t.created_at + p.due_seconds * interval '1 second') as due_at"),
    )
    .orderBy('dueAt', 'asc')
    .limit(MAX_STUCK);
  return rows.map((r: Record<string, any>) => ({
    registrationId: r.registrationId,
    registrationName: r.registrationName,
    schoolName: r.schoolName,
    taskId: r.taskId,
    step: r.step,
    round: r.round,
    since: iso(r.since)!,
    dueAt: iso(r.dueAt)!,
    policySeconds: r.policySeconds ?? null,
    overdueSeconds: Math.floor((Date.now() - new Date(r.dueAt).getTime()) / 1000),
    links: workflowLink(deps, r.registrationId),
  }));
}

/** Activities of running registration workflows that failed at least once and are being retried. */
async function failingActivities(deps: Deps): Promise<{ items: FailingActivity[]; scanned: OperationsView['scanned'] }> {
  const { temporal, config, db } = deps;
  const query = `WorkflowType = '${REGISTRATION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${config.TEMPORAL_TASK_QUEUE.replace(/'/g, "\\'")}'`;
  const ids: string[] = [];
  let truncated = false;
  for await (const wf of temporal.workflow.list({ query, pageSize: 200 })) {
    if (ids.length >= MAX_DESCRIBED) {
      truncated = true;
      break;
    }
    ids.push(wf.workflowId);
  }
  const found: Omit<FailingActivity, 'registrationName'>[] = [];
  let next = 0;
  const describeSome = async () => {
    while (next < ids.length) {
      const workflowId = ids[next++];
      const description = await temporal.workflow.getHandle(workflowId).describe().catch(() => null);
      for (const a of description?.raw.pendingActivities ?? []) {
        if ((a.attempt ?? 1) <= 1 && !a.lastFailure) continue;
        const registrationId = workflowId.replace(/^registration-/, '');
        found.push({
          registrationId,
          workflowId,
          activityType: a.activityType?.name ?? '',
          state: PENDING_ACTIVITY_STATES[Number(a.state)] ?? 'unknown',
          attempt: a.attempt ?? 1,
          maximumAttempts: a.maximumAttempts || null,
          lastError: a.lastFailure?.message ?? null,
          lastErrorType: a.lastFailure?.applicationFailureInfo?.type ?? null,
          lastAttemptAt: iso(optionalTsToDate(a.lastStartedTime)),
          nextAttemptAt: iso(optionalTsToDate(a.nextAttemptScheduleTime)),
          links: workflowLink(deps, registrationId),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_PARALLELISM, ids.length) }, describeSome));
  const uuids = found.map((f) => f.registrationId).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const names = new Map<string, string>(
    uuids.length ? (await db('registrations').whereIn('id', uuids).select('id', 'name')).map((r: { id: string; name: string }) => [r.id, r.name]) : [],
  );
  const items = found
    .map((f) => ({ ...f, registrationName: names.get(f.registrationId) ?? null }))
    .sort((a, b) => b.attempt - a.attempt);
  return { items, scanned: { described: ids.length, truncated } };
}

/** The outbox (from the process-core issue) when it exists: what waits, what failed, the last error. */
async function outboxBacklog({ db }: Deps): Promise<OutboxBacklog> {
  if (!(await db.schema.hasTable('outbox'))) return { configured: false, pending: 0, failed: 0, oldestPendingAt: null, lastError: null };
  const counts: { status: string; n: string; oldest: Date | null }[] = await db('outbox')
    .whereIn('status', ['pending', 'failed'])
    .groupBy('status')
    .select('status', db.raw('count(*) as n'), db.raw('min(created_at) as oldest'));
  const lastFailed = await db('outbox').whereNotNull('lastError').orderBy('id', 'desc').first('lastError');
  const of = (status: string) => counts.find((c) => c.status === status);
  return {
    configured: true,
    pending: Number(of('pending')?.n ?? 0),
    failed: Number(of('failed')?.n ?? 0),
    oldestPendingAt: iso(of('pending')?.oldest),
    lastError: lastFailed?.lastError ?? null,
  };
}

export async function operationsView(deps: Deps): Promise<OperationsView> {
  const [postgres, { temporal, workers }, stuck, outbox] = await Promise.all([
    postgresHealth(deps),
    temporalHealth(deps),
    stuckRegistrations(deps).catch(() => [] as StuckRegistration[]),
    outboxBacklog(deps).catch((): OutboxBacklog => ({ configured: true, pending: 0, failed: 0, oldestPendingAt: null, lastError: null })),
  ]);
  const failing = temporal.ok ? await failingActivities(deps).catch(() => ({ items: [], scanned: { described: 0, truncated: false } })) : { items: [], scanned: { described: 0, truncated: false } };
  return {
    checkedAt: new Date().toISOString(),
    temporalUiUrl: deps.config.TEMPORAL_UI_URL ?? null,
    health: { postgres, temporal, workers },
    stuck,
    failingActivities: failing.items,
    scanned: failing.scanned,
    outbox,
  };
}
