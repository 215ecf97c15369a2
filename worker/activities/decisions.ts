/**
 * The approval chain's decisions as they land in Postgres: submission, lead-school opinion,
 * principal signature, bureau approval/return/rejection, withdrawal. Each closes its task, moves
 * the registration and writes its audit event in one transaction, under a dedupe key.
 */
import { appendAuditEvent } from '../../domain/audit';
import { loadWorkingCalendar } from '../../domain/calendar/repository';
import { deadlinesFrom } from '../../domain/process/deadlines';
import { writeCopies } from '../../domain/collab/copies';
import { loadPolicies } from '../../domain/policies/repository';
import { findRegistration } from '../../domain/registrations/repository';
import { canonicalContentHash, recordSignature } from '../../domain/signing/index';
import { cancelTaskRow, completeTaskRow, setRegistrationProgress } from '../../domain/tasks/repository';
import { STEP_LABELS } from '../../workflows/deadlines';
import type { DeadlinePolicy, TaskStep, WorkflowActor } from '../../workflows/shared';
import { actorFields, registrationFacts, type ActivityDeps, type Conn, type Notifier } from './context';
import { decisionRefused } from './errors';

/**
 * The bureau approves what was signed, nothing else: in the approval's own transaction, the
 * registration must still carry a live signature over its current content.
 */
async function checkSignatureMatchesContent(trx: Conn, registrationId: string): Promise<void> {
  const reg = await trx('registrations').where({ id: registrationId }).forUpdate().first('signatureId');
  const signature = reg?.signatureId ? await trx('signatures').where({ id: reg.signatureId }).whereNull('voidedAt').first('contentHash') : null;
  const current = await findRegistration(trx, registrationId);
  if (!signature || !current || signature.contentHash !== canonicalContentHash(current)) {
    throw decisionRefused('签署后的内容已变化或签名已作废，不能批准；需重新签署 / The content changed after signing or the signature is void; it cannot be approved until signed again');
  }
}

type Actor = Pick<WorkflowActor, 'id' | 'name'>;

interface DecisionInput {
  registrationId: string;
  taskId: string;
  round: number;
  actor: Actor;
  comment: string | null;
  /** Workflow time of the decision. */
  at: string;
  /** The workflow's number for the status write (applies only if newer); absent from workflows before numbering. */
  seq?: number;
}

export function decisionActivities(deps: ActivityDeps, notify: Notifier) {
  const { db } = deps;
  /** 抄送: the policies' copies for this decision, in its transaction (domain/collab/copies.ts). */
  const copy = (trx: Conn, event: Parameters<typeof writeCopies>[1]) => writeCopies(trx, event, { email: deps.mailer.enabled });

  return {
    /** The drafter submitted (round 1) or resubmitted after a return (round 2, 3, …). */
    async recordSubmission(input: { registrationId: string; round: number; actor: Actor; at: string; seq?: number }): Promise<void> {
      await db.transaction(async (trx) => {
        await setRegistrationProgress(trx, input.registrationId, { status: 'lead_school_opinion', currentStep: 'lead_school_opinion', submittedAt: new Date(input.at) }, input.seq);
        await appendAuditEvent(trx, {
          action: input.round > 1 ? 'registration.resubmitted' : 'registration.submitted',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { round: input.round },
          dedupeKey: `wf:${input.registrationId}:submitted:${input.round}`,
        });
        await copy(trx, { registrationId: input.registrationId, occasion: 'submit', step: 'submit', round: input.round, actor: input.actor, at: input.at });
      });
    },

    /** Stores the lead school's opinion on the registration and closes the opinion task. */
    async recordLeadSchoolOpinion(input: DecisionInput & { opinion: string }): Promise<void> {
      await db.transaction(async (trx) => {
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'opinion', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'principal_signature', currentStep: 'principal_signature', leadSchoolOpinion: input.opinion }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.lead_school_opinion_given',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, round: input.round, opinion: input.opinion, comment: input.comment },
          dedupeKey: `wf:${input.registrationId}:decision:${input.taskId}`,
        });
        await copy(trx, { registrationId: input.registrationId, occasion: 'approve', step: 'lead_school_opinion', round: input.round, actor: input.actor, at: input.at });
      });
    },

    /** Records the principal's signature and stamp over the content as it stands, and closes the signing task. */
    async recordPrincipalSignature(input: DecisionInput & { signatureFileId: string; stampFileId: string | null }): Promise<{ signatureId: string; contentHash: string }> {
      // Idempotent per (registration, signature file): a retry finds the record the first attempt made.
      const signature = await recordSignature(db, {
        registrationId: input.registrationId,
        signerId: input.actor.id,
        signatureFileId: input.signatureFileId,
        signedAt: input.at,
        dataDir: deps.config.dataDir,
        signingKeyPem: deps.config.SIGNING_KEY_PEM ?? null,
        stampFileId: input.stampFileId,
      });
      await db.transaction(async (trx) => {
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'sign', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'bureau_approval', currentStep: 'bureau_approval' }, input.seq);
        // The signature itself is audited by recordSignature (registration.signed); this is the task closing.
        await appendAuditEvent(trx, {
          action: 'task.completed',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          afterHash: signature.contentHash,
          details: { taskId: input.taskId, step: 'principal_signature', action: 'sign', round: input.round, signatureId: signature.signatureId, signatureFileId: input.signatureFileId },
          dedupeKey: `wf:${input.registrationId}:decision:${input.taskId}`,
        });
        await copy(trx, { registrationId: input.registrationId, occasion: 'approve', step: 'principal_signature', round: input.round, actor: input.actor, at: input.at });
      });
      return signature;
    },

    /** A reviewer returned the registration to the drafter with a reason: back to draft, drafter notified. */
    async returnToDrafter(input: DecisionInput & { step: TaskStep }): Promise<void> {
      const dedupe = `wf:${input.registrationId}:decision:${input.taskId}`;
      await db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'return', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'draft', currentStep: null }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.returned',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, step: input.step, round: input.round, comment: input.comment },
          dedupeKey: dedupe,
        });
        await notify.toDrafter(trx, reg, {
          kind: 'decision',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `已退回修改（${STEP_LABELS[input.step].zh}）— ${reg.name} / Returned for revision at ${STEP_LABELS[input.step].en}`,
          body: input.comment,
        });
      });
    },

    /** The bureau approved: the alliance is active and its goal review falls due after the review period. */
    async recordApproval(input: DecisionInput): Promise<{ reviewDueAt: string; reviewPeriodSeconds: number; remindBeforeSeconds: number; policy: DeadlinePolicy }> {
      const dedupe = `wf:${input.registrationId}:decision:${input.taskId}`;
      const result = await db.transaction(async (trx) => {
        await checkSignatureMatchesContent(trx, input.registrationId);
        const policy = (await loadPolicies(trx, { forShare: true })).review_period;
        const reviewDueAt = new Date(deadlinesFrom(input.at, policy, await loadWorkingCalendar(trx)).dueAt);
        const reg = await registrationFacts(trx, input.registrationId);
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'approve', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'active', currentStep: null, approvedAt: new Date(input.at), reviewDueAt }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.approved',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, round: input.round, comment: input.comment, reviewDueAt: reviewDueAt.toISOString() },
          dedupeKey: dedupe,
        });
        await notify.toDrafter(trx, reg, {
          kind: 'decision',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `登记已批准 — ${reg.name} / Registration approved`,
          body: input.comment,
        });
        await copy(trx, { registrationId: input.registrationId, occasion: 'approve', step: 'bureau_approval', round: input.round, actor: input.actor, at: input.at });
        // reviewPeriodSeconds: the nominal length, for workflows from before `policy` was answered.
        return { reviewDueAt: reviewDueAt.toISOString(), reviewPeriodSeconds: Math.round((reviewDueAt.getTime() - Date.parse(input.at)) / 1000), remindBeforeSeconds: policy.remindBeforeSeconds, policy };
      });
      return result;
    },

    /** The bureau rejected (final). */
    async recordRejection(input: DecisionInput): Promise<void> {
      const dedupe = `wf:${input.registrationId}:decision:${input.taskId}`;
      await db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'reject', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'rejected', currentStep: null, closedAt: new Date(input.at) }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.rejected',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, round: input.round, comment: input.comment },
          dedupeKey: dedupe,
        });
        await notify.toDrafter(trx, reg, {
          kind: 'decision',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `登记未获批准 — ${reg.name} / Registration rejected`,
          body: input.comment,
        });
      });
    },

    /** The drafter withdrew before approval: the open task (if any) is cancelled. */
    async recordWithdrawal(input: { registrationId: string; taskId: string | null; round: number; actor: Actor; reason: string | null; at: string; seq?: number }): Promise<void> {
      await db.transaction(async (trx) => {
        if (input.taskId) await cancelTaskRow(trx, { taskId: input.taskId, reason: 'withdrawn', at: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'withdrawn', currentStep: null, closedAt: new Date(input.at) }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.withdrawn',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, round: input.round, reason: input.reason },
          dedupeKey: `wf:${input.registrationId}:withdrawn`,
        });
      });
    },
  };
}
