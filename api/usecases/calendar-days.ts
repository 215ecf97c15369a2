/**
 * The working-day calendar's local overrides (工作日历): an administrator makes a date a workday
 * or a holiday, with a name, on top of China's official calendar (npm chinese-days). Everyone
 * signed in may read them; administrators change them. A change moves the due times of the
 * registrations in flight whose policies count working days or months, the way a policy change
 * does: one propagation (a policy version, policyPropagationWorkflow) per such policy.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { officialDay } from '../../domain/calendar/official';
import { CALENDAR_DAY_SORTABLE, toCalendarDay, type CalendarDay } from '../../domain/calendar/repository';
import { isCalendarDate } from '../../domain/calendar/working-days';
import { usesCalendar } from '../../domain/process/deadlines';
import { loadPolicies } from '../../domain/policies/repository';
import { countRegistrationsTimedBy, insertVersion, reserveVersion } from '../../domain/policies/versions';
import type { Db } from '../../db/connection';
import { POLICY_PROPAGATION_WORKFLOW_TYPE, policyPropagationWorkflowId, type PolicyPropagationInput } from '../../workflows/policy-propagation';
import type { Knex } from 'knex';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fetchPage, likePattern, oneOrMany, whereOneOrMany, type ListQuery } from '../simple-rest';
import { parseBody, uniqueViolation } from './input';
import { callWorkflow, temporalUnavailable, WorkflowBusyError } from './workflow-calls';

export { CALENDAR_DAY_SORTABLE };
const WHAT = '工作日历 / Calendar day';
const DATE_MESSAGE = '请填写有效日期（YYYY-MM-DD）/ Give a real date (YYYY-MM-DD)';
const date = z.string().refine(isCalendarDate, DATE_MESSAGE);

export const calendarDayFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  date: oneOrMany(date).optional(),
  kind: oneOrMany(z.enum(['workday', 'holiday'])).optional(),
  /** Dates from (inclusive). */
  from: date.optional(),
  /** Dates until (inclusive). */
  to: date.optional(),
  q: z.string().trim().max(100).optional(),
});

export const calendarDayInputSchema = z.object({
  date: z.string({ error: DATE_MESSAGE }).refine(isCalendarDate, DATE_MESSAGE),
  kind: z.enum(['workday', 'holiday'], { error: '类型须为工作日或休息日 / Kind must be workday or holiday' }),
  name: z.string().trim().max(100, '名称最多 100 字 / Name: at most 100 characters').nullish(),
});

const UNIQUE = { calendar_days_date_unique: ['date', '该日期已有设置 / This date already has an override'] as [string, string] };

const withOfficial = (d: CalendarDay) => {
  const official = officialDay(d.date);
  return { ...d, officialKind: official.work ? 'workday' : 'holiday', officialName: official.name };
};

export async function listCalendarDays(db: Db, list: ListQuery<z.output<typeof calendarDayFilterSchema>>) {
  const base = db('calendarDays');
  whereOneOrMany(base, 'id', list.filter.id);
  whereOneOrMany(base, 'date', list.filter.date);
  whereOneOrMany(base, 'kind', list.filter.kind);
  if (list.filter.from) base.where('date', '>=', list.filter.from);
  if (list.filter.to) base.where('date', '<=', list.filter.to);
  if (list.filter.q) base.whereILike('name', likePattern(list.filter.q));
  const page = await fetchPage<Record<string, any>>(base, list, { sortable: CALENDAR_DAY_SORTABLE, tieBreaker: 'id', select: (q) => q.select('*', db.raw("to_char(date, 'YYYY-MM-DD') as day_text")) });
  return { rows: page.rows.map((r) => withOfficial(toCalendarDay(r))), total: page.total };
}

async function findDay(db: Db | Knex.Transaction, id: number): Promise<CalendarDay | null> {
  const row = await db('calendarDays').where({ id }).first('*', db.raw("to_char(date, 'YYYY-MM-DD') as day_text"));
  return row ? toCalendarDay(row) : null;
}

export async function getCalendarDay(db: Db, id: number) {
  const day = await findDay(db, id);
  if (!day) throw AppError.notFound(WHAT);
  return withOfficial(day);
}

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config'>;

/**
 * Writes a calendar change and carries it to the registrations in flight. The propagation
 * workflows are started first (Temporal unreachable: 503, nothing written); the write and their
 * policy versions commit together (a workflow whose version never commits ends doing nothing).
 */
async function changeCalendar<T>(deps: Deps, actor: Actor, write: (trx: Knex.Transaction) => Promise<T>, describe: (result: T) => Record<string, unknown>): Promise<T> {
  const policies = Object.values(await loadPolicies(deps.db)).filter(usesCalendar);
  const started: { version: number; workflowId: string; step: (typeof policies)[number]['step'] }[] = [];
  for (const policy of policies) {
    const version = await reserveVersion(deps.db);
    const workflowId = policyPropagationWorkflowId(version, randomUUID().slice(0, 8));
    try {
      await callWorkflow(
        () => deps.temporal.workflow.start(POLICY_PROPAGATION_WORKFLOW_TYPE, { workflowId, taskQueue: deps.config.TEMPORAL_TASK_QUEUE, args: [{ version } satisfies PolicyPropagationInput] }),
        deps.temporal,
      );
    } catch (err) {
      throw err instanceof WorkflowBusyError ? temporalUnavailable() : err;
    }
    started.push({ version, workflowId, step: policy.step });
  }
  return deps.db.transaction(async (trx) => {
    const result = await write(trx);
    const current = await loadPolicies(trx);
    const versions: number[] = [];
    for (const s of started) {
      const total = await countRegistrationsTimedBy(trx, s.step);
      await insertVersion(trx, { version: s.version, step: s.step, policy: current[s.step], total, workflowId: s.workflowId, createdBy: actor.id });
      versions.push(s.version);
    }
    await appendAuditEvent(trx, { action: 'calendar_day.changed', actorId: actor.id, actorName: actor.name, details: { ...describe(result), policyVersions: versions } });
    return result;
  });
}

function rethrowUnique(err: unknown): never {
  throw uniqueViolation(err, UNIQUE) ?? err;
}

export async function createCalendarDay(deps: Deps, actor: Actor, body: unknown) {
  const input = parseBody(calendarDayInputSchema, body);
  try {
    const id = await changeCalendar(
      deps,
      actor,
      async (trx) => {
        const [row] = await trx('calendarDays').insert({ date: input.date, kind: input.kind, name: input.name ?? '', updatedBy: actor.id }).returning('id');
        return Number(row.id);
      },
      (id) => ({ op: 'create', id, date: input.date, kind: input.kind, name: input.name ?? '' }),
    );
    return getCalendarDay(deps.db, id);
  } catch (err) {
    rethrowUnique(err);
  }
}

export async function updateCalendarDay(deps: Deps, actor: Actor, id: number, body: unknown) {
  const before = await getCalendarDay(deps.db, id);
  const input = parseBody(calendarDayInputSchema, { date: before.date, ...(body as object) });
  try {
    await changeCalendar(
      deps,
      actor,
      async (trx) => {
        await trx('calendarDays').where({ id }).update({ date: input.date, kind: input.kind, name: input.name ?? '', updatedBy: actor.id, updatedAt: trx.fn.now() });
      },
      () => ({ op: 'update', id, before: { date: before.date, kind: before.kind, name: before.name }, after: { date: input.date, kind: input.kind, name: input.name ?? '' } }),
    );
    return getCalendarDay(deps.db, id);
  } catch (err) {
    rethrowUnique(err);
  }
}

export async function deleteCalendarDay(deps: Deps, actor: Actor, id: number) {
  const before = await getCalendarDay(deps.db, id);
  await changeCalendar(
    deps,
    actor,
    async (trx) => {
      await trx('calendarDays').where({ id }).delete();
    },
    () => ({ op: 'delete', id, date: before.date, kind: before.kind, name: before.name }),
  );
  return before;
}
