/**
 * Reading goal reviews (goal_reviews + goal_review_items, written only by the worker's review
 * activities) as plain objects in the API vocabulary: the review with its registration, lead school,
 * the people who reported and rated, the open task of the review, and one item per goal of the
 * registration (the promise from the form beside the report and the rating).
 */
import type { Knex } from 'knex';
import { containsPattern, whereOneOrMany } from '../../db/query';
import { toDateString } from '../registrations/dates';
import { scopedRegistrations, type RegistrationScope } from '../registrations/repository';

type Conn = Knex | Knex.Transaction;

export const REVIEW_STATUSES = ['reporting', 'rating', 'passed', 'conditional', 'failed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_RATINGS = ['pass', 'conditional', 'fail'] as const;
export const REVIEW_PROGRESS = ['achieved', 'in_progress', 'not_achieved'] as const;

export interface EvidenceFile {
  id: string;
  mediaType: string;
  originalName: string | null;
  size: number;
}

export interface GoalReviewItem {
  goalId: string;
  position: number;
  title: string;
  measures: string | null;
  indicator: string | null;
  targetDate: string | null;
  progress: string | null;
  narrative: string | null;
  evidenceFileIds: string[];
  evidence: EvidenceFile[];
  rating: string | null;
}

export interface GoalReviewTask {
  id: string;
  step: 'goal_report' | 'goal_rating';
  status: string;
  dueAt: string | null;
  overdue: boolean;
  claimedBy: number | null;
  schoolId: number | null;
  /** The district whose bureau rates: the console's rights check (canAccess) needs it. */
  districtId: number | null;
}

export interface GoalReview {
  id: string;
  registrationId: string;
  registrationName: string;
  registrationStatus: string;
  schoolId: number;
  schoolName: string;
  cycle: number;
  status: ReviewStatus;
  openedAt: string;
  /** When the review's current step is due: the open task's due time, else the last step's. */
  dueAt: string | null;
  reportedBy: number | null;
  reportedByName: string | null;
  reportedAt: string | null;
  reportComment: string | null;
  ratedBy: number | null;
  ratedByName: string | null;
  ratedAt: string | null;
  overall: string | null;
  comment: string | null;
  rectificationDueAt: string | null;
  /** The review's task now or last (report, then rating); null before the worker created it. */
  task: GoalReviewTask | null;
  items: GoalReviewItem[];
}

export interface GoalReviewFilter {
  id?: string | string[];
  registrationId?: string | string[];
  status?: string | string[];
  cycle?: number | number[];
  schoolId?: number | number[];
  overall?: string | string[];
  dueBefore?: string;
  dueAfter?: string;
  q?: string;
}

export const GOAL_REVIEW_SORTABLE: Record<string, string> = {
  id: 'gr.id',
  cycle: 'gr.cycle',
  status: 'gr.status',
  openedAt: 'gr.openedAt',
  dueAt: 't.dueAt',
  reportedAt: 'gr.reportedAt',
  ratedAt: 'gr.ratedAt',
  overall: 'gr.overall',
  registrationName: 'r.name',
  schoolName: 's.name',
};

/** The review's task t: the open one when there is one, else the latest of its cycle. */
const TASK_OF_REVIEW = `left join lateral (
       select t.id, t.step, t.status, t.due_at, t.overdue, t.claimed_by, t.school_id, t.district_id
         from tasks t
        where t.registration_id = gr.registration_id and t.round = gr.cycle and t.step in ('goal_report', 'goal_rating')
        order by (t.status = 'open') desc, t.created_at desc
        limit 1
     ) t on true`;

/**
 * goal_reviews gr ⋈ registrations r ⋈ schools s, narrowed to the scope; with `withTask`, also the
 * review's task t (only where a filter or the sort needs it: it is looked up per review).
 */
export function scopedReviews(db: Conn, scope: RegistrationScope, withTask = true): Knex.QueryBuilder {
  const qb = scopedRegistrations(db, scope).join('goalReviews as gr', 'gr.registrationId', 'r.id');
  return withTask ? qb.joinRaw(TASK_OF_REVIEW) : qb;
}

const needsTask = (f: GoalReviewFilter) => !!(f.dueBefore || f.dueAfter);

export function applyReviewFilter(qb: Knex.QueryBuilder, f: GoalReviewFilter): Knex.QueryBuilder {
  whereOneOrMany(qb, 'gr.id', f.id);
  whereOneOrMany(qb, 'gr.registrationId', f.registrationId);
  whereOneOrMany(qb, 'gr.status', f.status);
  whereOneOrMany(qb, 'gr.cycle', f.cycle);
  whereOneOrMany(qb, 'r.schoolId', f.schoolId);
  whereOneOrMany(qb, 'gr.overall', f.overall);
  if (f.dueBefore) qb.where('t.dueAt', '<', new Date(f.dueBefore));
  if (f.dueAfter) qb.where('t.dueAt', '>=', new Date(f.dueAfter));
  if (f.q) {
    const pattern = containsPattern(f.q);
    qb.where((w) => w.whereILike('r.name', pattern).orWhereILike('s.name', pattern));
  }
  return qb;
}

const SELECT = ['gr.*', 'r.name as registrationName', 'r.status as registrationStatus', 'r.schoolId as schoolId', 's.name as schoolName', 'ru.name as reportedByName', 'bu.name as ratedByName'];

const withPeople = (qb: Knex.QueryBuilder) => qb.leftJoin('users as ru', 'ru.id', 'gr.reportedBy').leftJoin('users as bu', 'bu.id', 'gr.ratedBy').select(SELECT);

/** The task of each review (open first, else the latest of its cycle), for one page of reviews. */
async function tasksOf(db: Conn, rows: any[]): Promise<Map<string, any>> {
  const tasks = (await db('tasks')
    .whereIn('registrationId', [...new Set(rows.map((r) => r.registrationId as string))])
    .whereIn('step', ['goal_report', 'goal_rating'])
    .select('id', 'registrationId', 'round', 'step', 'status', 'dueAt', 'overdue', 'claimedBy', 'schoolId', 'districtId', 'createdAt')) as any[];
  const rank = (t: any) => [t.status === 'open' ? 1 : 0, new Date(t.createdAt).getTime()];
  const best = new Map<string, any>();
  for (const t of tasks) {
    const key = `${t.registrationId}:${t.round}`;
    const current = best.get(key);
    const [a1, a2] = rank(t);
    const [b1, b2] = current ? rank(current) : [-1, -1];
    if (a1 > b1 || (a1 === b1 && a2 > b2)) best.set(key, t);
  }
  return new Map(rows.map((r) => [r.id as string, best.get(`${r.registrationId}:${r.cycle}`)]));
}

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());

/** Rows → reviews, with every goal of each registration (two queries for the whole page). */
async function hydrate(db: Conn, rows: any[]): Promise<GoalReview[]> {
  if (rows.length === 0) return [];
  const registrationIds = [...new Set(rows.map((r) => r.registrationId as string))];
  const reviewIds = rows.map((r) => r.id as string);
  const [goals, items, taskOf] = await Promise.all([
    db('goals').whereIn('registrationId', registrationIds).orderBy(['registrationId', 'position']),
    db('goalReviewItems').whereIn('reviewId', reviewIds),
    tasksOf(db, rows),
  ]);
  const fileIds = [...new Set((items as any[]).flatMap((i) => (i.evidenceFileIds ?? []) as string[]))];
  const files = fileIds.length ? ((await db('files').whereIn('id', fileIds).select('id', 'mediaType', 'originalName', 'size')) as EvidenceFile[]) : [];
  const fileById = new Map(files.map((f) => [f.id, f]));
  const itemOf = new Map((items as any[]).map((i) => [`${i.reviewId}:${i.goalId}`, i]));
  return rows.map((r) => {
    const t = taskOf.get(r.id);
    return {
      id: r.id,
      registrationId: r.registrationId,
      registrationName: r.registrationName,
      registrationStatus: r.registrationStatus,
      schoolId: r.schoolId,
      schoolName: r.schoolName,
      cycle: r.cycle,
      status: r.status,
      openedAt: iso(r.openedAt)!,
      dueAt: iso(t?.dueAt),
      reportedBy: r.reportedBy,
      reportedByName: r.reportedByName ?? null,
      reportedAt: iso(r.reportedAt),
      reportComment: r.reportComment ?? null,
      ratedBy: r.ratedBy,
      ratedByName: r.ratedByName ?? null,
      ratedAt: iso(r.ratedAt),
      overall: r.overall,
      comment: r.comment,
      rectificationDueAt: iso(r.rectificationDueAt),
      task: t ? { id: t.id, step: t.step, status: t.status, dueAt: iso(t.dueAt), overdue: !!t.overdue, claimedBy: t.claimedBy, schoolId: t.schoolId, districtId: t.districtId } : null,
      items: (goals as any[])
        .filter((g) => g.registrationId === r.registrationId)
        .map((g) => {
          const item = itemOf.get(`${r.id}:${g.id}`);
          const evidenceFileIds: string[] = item?.evidenceFileIds ?? [];
          return {
            goalId: g.id,
            position: g.position,
            title: g.title,
            measures: g.measures,
            indicator: g.indicator,
            targetDate: toDateString(g.targetDate),
            progress: item?.progress ?? null,
            narrative: item?.narrative ?? null,
            evidenceFileIds,
            evidence: evidenceFileIds.map((id) => fileById.get(id)).filter((f): f is EvidenceFile => !!f),
            rating: item?.rating ?? null,
          };
        }),
    };
  });
}

export async function listGoalReviews(
  db: Conn,
  scope: RegistrationScope,
  list: { sort: { field: string; order: 'asc' | 'desc' }; range: { start: number; end: number }; filter: GoalReviewFilter },
): Promise<{ rows: GoalReview[]; total: number }> {
  const withTask = needsTask(list.filter) || list.sort.field === 'dueAt';
  const base = applyReviewFilter(scopedReviews(db, scope, withTask), list.filter);
  const counted = needsTask(list.filter) ? base : applyReviewFilter(scopedReviews(db, scope, false), list.filter);
  const countRow = (await counted.clone().count({ total: '*' }).first()) as { total: string | number } | undefined;
  const column = GOAL_REVIEW_SORTABLE[list.sort.field] ?? 'gr.openedAt';
  const rows = await withPeople(base.clone())
    .orderBy(column, list.sort.order, 'last')
    .orderBy('gr.id', list.sort.order)
    .offset(list.range.start)
    .limit(list.range.end - list.range.start + 1);
  return { rows: await hydrate(db, rows), total: Number(countRow?.total ?? 0) };
}

export async function findGoalReview(db: Conn, id: string, scope: RegistrationScope): Promise<GoalReview | null> {
  const row = await withPeople(scopedReviews(db, scope, false).where('gr.id', id)).first();
  if (!row) return null;
  const [review] = await hydrate(db, [row]);
  return review;
}

/** Every review of one registration, first cycle first (the page's timeline shows both cycles). */
export async function reviewsOfRegistration(db: Conn, registrationId: string, scope: RegistrationScope): Promise<GoalReview[]> {
  const rows = await withPeople(scopedReviews(db, scope, false).where('gr.registrationId', registrationId)).orderBy('gr.cycle');
  return hydrate(db, rows);
}
