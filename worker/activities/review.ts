/**
 * The goal review checkpoint in Postgres: the review opens when the review period ends, the lead
 * school reports on every goal, the bureau rates each goal and the whole; a failed first review
 * opens rectification, and the registration closes with the review's outcome.
 */
import { appendAuditEvent } from '../../domain/audit';
import { loadWorkingCalendar } from '../../domain/calendar/repository';
import { dateEn, dateZh } from '../../domain/calendar/zone';
import { deadlinesFrom } from '../../domain/process/deadlines';
import { loadPolicies } from '../../domain/policies/repository';
import { completeTaskRow, setRegistrationProgress } from '../../domain/tasks/repository';
import type { DeadlinePolicy, GoalRatingItem, GoalReportItem, RegistrationOutcome, ReviewRating, WorkflowActor } from '../../workflows/shared';
import { actorFields, registrationFacts, type ActivityDeps, type Conn, type Notifier } from './context';

type Actor = Pick<WorkflowActor, 'id' | 'name'>;

async function reviewId(trx: Conn, registrationId: string, cycle: number): Promise<string> {
  const row = await trx('goalReviews').where({ registrationId, cycle }).first('id');
  if (!row) throw new Error(`goal review ${cycle} of ${registrationId} not opened`);
  return row.id;
}

interface RatingInput {
  registrationId: string;
  taskId: string;
  cycle: number;
  actor: Actor;
  comment: string | null;
  ratings: GoalRatingItem[];
  overall: ReviewRating;
  at: string;
}

/** What the workflow learns when rectification starts (periodSeconds: for workflows from before `policy` was answered). */
export interface RectificationStarted {
  rectificationDueAt: string;
  periodSeconds: number;
  remindBeforeSeconds: number;
  policy: DeadlinePolicy;
}

const rectificationStarted = (at: string, dueAt: Date, policy: DeadlinePolicy): RectificationStarted => ({
  rectificationDueAt: dueAt.toISOString(),
  periodSeconds: Math.round((dueAt.getTime() - Date.parse(at)) / 1000),
  remindBeforeSeconds: policy.remindBeforeSeconds,
  policy,
});

/** Each goal's rating, the review's verdict, the rating task done and the audit event. */
async function writeRating(trx: Conn, input: RatingInput): Promise<void> {
  const id = await reviewId(trx, input.registrationId, input.cycle);
  for (const r of input.ratings) {
    await trx('goalReviewItems').insert({ reviewId: id, goalId: r.goalId, rating: r.rating }).onConflict(['reviewId', 'goalId']).merge(['rating']);
  }
  const status = input.overall === 'pass' ? 'passed' : input.overall === 'conditional' ? 'conditional' : 'failed';
  await trx('goalReviews').where({ id }).update({ status, overall: input.overall, comment: input.comment, ratedBy: input.actor.id, ratedAt: new Date(input.at) });
  await completeTaskRow(trx, { taskId: input.taskId, outcome: 'rate', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
  await appendAuditEvent(trx, {
    action: 'goal_review.rated',
    ...actorFields(input.actor),
    registrationId: input.registrationId,
    details: { taskId: input.taskId, cycle: input.cycle, overall: input.overall, ratings: input.ratings, comment: input.comment },
    dedupeKey: `wf:${input.registrationId}:decision:${input.taskId}`,
  });
}

export function reviewActivities(deps: ActivityDeps, notify: Notifier) {
  const { db } = deps;

  /** The rectification period's end under the policy in force (China's working-day calendar). */
  async function rectificationDue(trx: Conn, at: string): Promise<{ policy: DeadlinePolicy; dueAt: Date }> {
    const policy = (await loadPolicies(trx, { forShare: true })).rectification_period;
    return { policy, dueAt: new Date(deadlinesFrom(at, policy, await loadWorkingCalendar(trx)).dueAt) };
  }

  /** The review's rectification due time, its audit event and the school's notices. */
  async function announceRectification(trx: Conn, input: { registrationId: string; cycle: number }, dueAt: Date): Promise<void> {
    const dedupe = `wf:${input.registrationId}:rectification:${input.cycle}`;
    const reg = await registrationFacts(trx, input.registrationId);
    await trx('goalReviews').where({ registrationId: input.registrationId, cycle: input.cycle }).update({ rectificationDueAt: dueAt });
    await appendAuditEvent(trx, {
      action: 'registration.rectification_started',
      registrationId: input.registrationId,
      details: { cycle: input.cycle, rectificationDueAt: dueAt.toISOString() },
      dedupeKey: dedupe,
    });
    for (const role of ['school_staff', 'lead_school_leader']) {
      await notify.toRole(trx, reg, role, {
        kind: 'decision',
        dedupeKey: `${dedupe}:${role}`,
        title: `目标评估未通过，请于 ${dateZh(dueAt.toISOString())} 前完成整改 — ${reg.name} / Review failed: rectify before ${dateEn(dueAt.toISOString())}`,
      });
    }
  }

  /** The close's audit event and the drafter's notice. */
  async function announceClose(trx: Conn, input: { registrationId: string; outcome: RegistrationOutcome; cycle: number }): Promise<void> {
    const dedupe = `wf:${input.registrationId}:closed`;
    const reg = await registrationFacts(trx, input.registrationId);
    await appendAuditEvent(trx, {
      action: 'registration.closed',
      registrationId: input.registrationId,
      details: { outcome: input.outcome, cycle: input.cycle },
      dedupeKey: dedupe,
    });
    await notify.toDrafter(trx, reg, {
      kind: 'decision',
      dedupeKey: dedupe,
      title: `周期评估结束（${input.outcome}）— ${reg.name} / Review cycle closed: ${input.outcome}`,
    });
  }

  return {
    /** The review period is over: the goal review (cycle 1, or 2 after rectification) opens. */
    async openGoalReview(input: { registrationId: string; cycle: number; at: string; seq?: number }): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('goalReviews').insert({ registrationId: input.registrationId, cycle: input.cycle, openedAt: new Date(input.at) }).onConflict(['registrationId', 'cycle']).ignore();
        await setRegistrationProgress(trx, input.registrationId, { status: 'goal_review', currentStep: 'goal_report' }, input.seq);
        await appendAuditEvent(trx, {
          action: 'goal_review.opened',
          registrationId: input.registrationId,
          details: { cycle: input.cycle },
          dedupeKey: `wf:${input.registrationId}:review:${input.cycle}:opened`,
        });
      });
    },

    /** Tells the lead school its goal review is coming (the review period's reminder lead). */
    async notifyReviewDueSoon(input: { registrationId: string; cycle: number; reviewDueAt: string }): Promise<void> {
      const dedupe = `wf:${input.registrationId}:review:${input.cycle}:due_soon`;
      await db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        for (const role of ['school_staff', 'lead_school_leader']) {
          await notify.toRole(trx, reg, role, {
            kind: 'review_due',
            dedupeKey: `${dedupe}:${role}`,
            title: `周期建设目标评估将于 ${dateZh(input.reviewDueAt)} 开始 — ${reg.name} / Goal review due ${dateEn(input.reviewDueAt)}`,
          });
        }
      });
    },

    /** The review (or rectification) end moved after a policy change. */
    async moveReviewDueDate(input: { registrationId: string; reviewDueAt: string }): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('registrations').where({ id: input.registrationId }).update({ reviewDueAt: new Date(input.reviewDueAt), updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'registration.review_rescheduled',
          registrationId: input.registrationId,
          details: { reviewDueAt: input.reviewDueAt },
          dedupeKey: `wf:${input.registrationId}:review_due:${input.reviewDueAt}`,
        });
      });
    },

    /** The lead school's report on every goal; the rating task comes next. */
    async recordGoalReport(input: { registrationId: string; taskId: string; cycle: number; actor: Actor; comment: string | null; goals: GoalReportItem[]; at: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const id = await reviewId(trx, input.registrationId, input.cycle);
        for (const g of input.goals) {
          await trx('goalReviewItems')
            .insert({ reviewId: id, goalId: g.goalId, progress: g.status, narrative: g.narrative, evidenceFileIds: JSON.stringify(g.evidenceFileIds) })
            .onConflict(['reviewId', 'goalId'])
            .merge(['progress', 'narrative', 'evidenceFileIds']);
        }
        await trx('goalReviews').where({ id }).update({ status: 'rating', reportedBy: input.actor.id, reportedAt: new Date(input.at), reportComment: input.comment });
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'report', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await appendAuditEvent(trx, {
          action: 'goal_review.reported',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, cycle: input.cycle, goals: input.goals },
          dedupeKey: `wf:${input.registrationId}:decision:${input.taskId}`,
        });
      });
    },

    /** The bureau's rating of each goal and of the whole review (workflows from before recordGoalRatingOutcome). */
    async recordGoalRating(input: RatingInput): Promise<void> {
      await db.transaction((trx) => writeRating(trx, input));
    },

    /**
     * The bureau's rating and what it leads to — rectification after a failed first review, else
     * the close — in one transaction, so the review, its task and the registration's status never
     * split. It applies only as the workflow's newest write (`seq`): a late retry of an attempt
     * that committed, or one overtaken by newer writes, writes nothing (no status moved back, no
     * review rewritten) and answers what was written.
     */
    async recordGoalRatingOutcome(
      input: RatingInput & { seq: number; next: { kind: 'rectification' } | { kind: 'closed'; outcome: RegistrationOutcome } },
    ): Promise<{ applied: boolean; rectification: RectificationStarted | null }> {
      return db.transaction(async (trx) => {
        const { registrationId, cycle, at } = input;
        if (input.next.kind === 'closed') {
          const applied = await setRegistrationProgress(trx, registrationId, { status: 'closed', currentStep: null, closedAt: new Date(at) }, input.seq);
          if (applied) {
            await writeRating(trx, input);
            await announceClose(trx, { registrationId, outcome: input.next.outcome, cycle });
          }
          return { applied, rectification: null };
        }
        const due = await rectificationDue(trx, at);
        const applied = await setRegistrationProgress(trx, registrationId, { status: 'rectification', currentStep: null, reviewDueAt: due.dueAt }, input.seq);
        if (!applied) {
          // Written already (or overtaken): the due time as it was stored, for the workflow's timer.
          const stored = await trx('goalReviews').where({ registrationId, cycle }).first('rectificationDueAt');
          const dueAt = stored?.rectificationDueAt ? new Date(stored.rectificationDueAt) : due.dueAt;
          return { applied, rectification: rectificationStarted(at, dueAt, due.policy) };
        }
        await writeRating(trx, input);
        await announceRectification(trx, { registrationId, cycle }, due.dueAt);
        return { applied, rectification: rectificationStarted(at, due.dueAt, due.policy) };
      });
    },

    /** A failed first review: rectification for the configured period, after which the second review falls due. */
    async startRectification(input: { registrationId: string; cycle: number; at: string; seq?: number }): Promise<RectificationStarted> {
      return db.transaction(async (trx) => {
        const due = await rectificationDue(trx, input.at);
        await setRegistrationProgress(trx, input.registrationId, { status: 'rectification', currentStep: null, reviewDueAt: due.dueAt }, input.seq);
        await announceRectification(trx, input, due.dueAt);
        return rectificationStarted(input.at, due.dueAt, due.policy);
      });
    },

    /** The registration's cycle is over, with the review's outcome. */
    async closeRegistration(input: { registrationId: string; outcome: RegistrationOutcome; cycle: number; at: string; seq?: number }): Promise<void> {
      await db.transaction(async (trx) => {
        await setRegistrationProgress(trx, input.registrationId, { status: 'closed', currentStep: null, closedAt: new Date(input.at) }, input.seq);
        await announceClose(trx, input);
      });
    },
  };
}
