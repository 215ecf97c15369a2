/**
 * An edit of a signed registration awaiting the bureau, as the workflow accepted it: the new
 * content, and — when what was signed changed — the signature voided, the bureau's task cancelled
 * and the registration back at signing, all in one transaction. The API writes nothing itself.
 */
import { appendAuditEvent } from '../../domain/audit';
import { findRegistration, registrationContentHash, updateRegistrationContent } from '../../domain/registrations/repository';
import type { ValidRegistration } from '../../domain/registrations/validate';
import { voidSignatureOnEdit } from '../../domain/signing/index';
import { cancelTaskRow, setRegistrationProgress } from '../../domain/tasks/repository';
import type { WorkflowActor } from '../../workflows/shared';
import { actorFields, type ActivityDeps } from './context';
import { decisionRefused } from './errors';

export interface ApplySignedContentEditInput {
  registrationId: string;
  /** The bureau's open task, cancelled when the signature is voided. */
  taskId: string;
  actor: Pick<WorkflowActor, 'id' | 'name'>;
  content: Record<string, unknown>;
  version: number;
  voidsSignature: boolean;
  beforeHash: string;
  afterHash: string;
  reason: string;
  at: string;
  seq: number;
}

export function editActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async applySignedContentEdit(input: ApplySignedContentEditInput): Promise<void> {
      const dedupeKey = `wf:${input.registrationId}:edited:${input.seq}`;
      await db.transaction(async (trx) => {
        // A retry after the first attempt committed finds its audit event and does nothing more.
        if (await trx('auditEvents').where({ dedupeKey }).first('id')) return;
        const locked = await trx('registrations').where({ id: input.registrationId }).forUpdate().first('version');
        if (!locked) throw decisionRefused('登记不存在 / The registration does not exist');
        if (locked.version !== input.version) {
          throw decisionRefused(
            `登记已被他人修改（当前版本 ${locked.version}），请刷新后重试 / The registration was changed by someone else (now version ${locked.version}); reload and try again`,
          );
        }
        const before = (await findRegistration(trx, input.registrationId))!;
        await updateRegistrationContent(trx, input.registrationId, input.content as unknown as ValidRegistration);
        const after = (await findRegistration(trx, input.registrationId))!;
        await appendAuditEvent(trx, {
          action: 'registration.updated',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          beforeHash: registrationContentHash(before),
          afterHash: registrationContentHash(after),
          details: { version: after.version, voidsSignature: input.voidsSignature },
          dedupeKey,
        });
        if (!input.voidsSignature) return;
        await voidSignatureOnEdit(trx, { registrationId: input.registrationId, actor: input.actor, reason: input.reason, beforeHash: input.beforeHash, afterHash: input.afterHash });
        await cancelTaskRow(trx, { taskId: input.taskId, reason: 'content_edited', at: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: 'principal_signature', currentStep: 'principal_signature' }, input.seq);
      });
    },
  };
}
