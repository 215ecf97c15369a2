/**
 * Registration use cases: create, read, list, edit and delete a draft. Each one checks the scope
 * server-side, validates before it writes, and writes the change and its audit event in one
 * transaction, so a rejected request changes nothing.
 */
import type { Client } from '@temporalio/client';
import { appendAuditEvent } from '../../domain/audit';
import {
  deleteRegistration,
  findRegistration,
  insertRegistration,
  listRegistrations,
  lockRegistration,
  registrationContentHash,
  updateRegistrationContent,
} from '../../domain/registrations/repository';
import type { Registration, RegistrationFilter } from '../../domain/registrations/schema';
import { validateRegistration } from '../../domain/registrations/validate';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { deletableRefusal, editVoidsSignature, registrationActionRefusal } from '../../domain/process/rules';
import { canonicalContentHash } from '../../domain/signing/index';
import { editSignedContentUpdate, registrationWorkflowId } from '../../workflows/shared';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import type { ListQuery } from '../simple-rest';
import { registrationScopeOf } from './scope';
import { readScopeFor } from './copies';
import { markCopiesRead } from '../../domain/collab/copies';
import { callWorkflow, enforce, workflowActorOf } from './workflow-calls';

const WHAT = '登记 / Registration';
const INVALID = '登记表有误，请检查标出的字段 / The registration has errors; see the marked fields';

/** `copiedReadOnly`: read only through a copy (抄送) to the actor, outside their scope. */
export async function getRegistration(db: Db, actor: Actor, id: string): Promise<Registration & { copiedReadOnly?: true }> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const registration = await findRegistration(db, id, registrationScopeOf(actor));
  if (registration) {
    await markCopiesRead(db, id, actor.id);
    return registration;
  }
  // A registration copied to the actor is readable wherever it is (read-only); opening it reads the copies.
  const copied = (await readScopeFor(db, actor, id)).all ? await findRegistration(db, id) : null;
  if (!copied) throw AppError.notFound(WHAT);
  await markCopiesRead(db, id, actor.id);
  return { ...copied, copiedReadOnly: true };
}

export function listRegistrationsFor(db: Db, actor: Actor, list: ListQuery<RegistrationFilter>) {
  return listRegistrations(db, registrationScopeOf(actor), list);
}

export async function createRegistration(db: Db, actor: Actor, body: unknown): Promise<Registration> {
  if (actor.schoolId == null) {
    throw AppError.badRequest(INVALID, { schoolId: '牵头学校缺失：账号未关联学校 / Lead school missing: your account belongs to no school' });
  }
  const claimedSchool = (body as { schoolId?: unknown } | null)?.schoolId;
  if (claimedSchool != null && claimedSchool !== actor.schoolId) {
    throw AppError.badRequest(INVALID, { schoolId: '只能为本校登记 / You can only register for your own school' });
  }
  const valid = await validateRegistration(db, body, 'create');
  if (!valid.success) throw AppError.badRequest(INVALID, valid.errors);

  return db.transaction(async (trx) => {
    const id = await insertRegistration(trx, { schoolId: actor.schoolId!, createdBy: actor.id, input: valid.data });
    const created = (await findRegistration(trx, id))!;
    await appendAuditEvent(trx, {
      action: 'registration.created',
      actorId: actor.id,
      actorName: actor.name,
      registrationId: id,
      afterHash: registrationContentHash(created),
      details: { schoolId: created.schoolId, name: created.name },
    });
    return created;
  });
}

/** The edit would change signed content: rolled back, then sent to the workflow (no Temporal call inside a transaction). */
class SignedContentChange {
  constructor(readonly beforeHash: string, readonly afterHash: string, readonly schoolId: number) {}
}

/**
 * Edits a registration. A draft is written here, in one transaction. A signed registration awaiting
 * the bureau is the workflow's: when the edit leaves what was signed unchanged it is written here
 * too; when it changes it, the transaction is rolled back and the edit goes to the workflow as an
 * Update, whose activity writes it and voids the signature — or which refuses it (409, nothing
 * written) once the registration has left bureau_approval.
 */
export async function updateRegistration(db: Db, actor: Actor, id: string, body: unknown, temporal?: Client): Promise<Registration> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const valid = await validateRegistration(db, body, 'update');
  if (!valid.success) throw AppError.badRequest(INVALID, valid.errors);

  let change: SignedContentChange;
  try {
    return await db.transaction(async (trx) => {
      const current = await lockRegistration(trx, id, registrationScopeOf(actor));
      if (!current) throw AppError.notFound(WHAT);
      enforce(registrationActionRefusal(actor, 'edit', current));
      const signedEdit = current.status !== 'draft';
      if (signedEdit && temporal === undefined) throw AppError.conflict(`只能修改草稿，当前状态为 ${current.status} / Only drafts can be edited; this registration is ${current.status}`);
      if (valid.data.version !== current.version) {
        throw AppError.conflict(
          `登记已被他人修改（当前版本 ${current.version}），请刷新后重试 / The registration was changed by someone else (now version ${current.version}); reload and try again`,
          { version: `当前版本为 ${current.version} / Current version is ${current.version}` },
        );
      }
      const before = (await findRegistration(trx, id))!;
      await updateRegistrationContent(trx, id, valid.data);
      const after = (await findRegistration(trx, id))!;
      if (signedEdit) {
        const edit = { beforeHash: canonicalContentHash(before), afterHash: canonicalContentHash(after) };
        if (editVoidsSignature(edit)) throw new SignedContentChange(edit.beforeHash, edit.afterHash, current.schoolId);
      }
      await appendAuditEvent(trx, {
        action: 'registration.updated',
        actorId: actor.id,
        actorName: actor.name,
        registrationId: id,
        beforeHash: registrationContentHash(before),
        afterHash: registrationContentHash(after),
        details: { version: after.version },
      });
      return after;
    });
  } catch (err) {
    if (!(err instanceof SignedContentChange)) throw err;
    change = err;
  }
  await callWorkflow(() =>
    temporal!.workflow.getHandle(registrationWorkflowId(id)).executeUpdate(editSignedContentUpdate, {
      args: [{ actor: workflowActorOf(actor), content: valid.data as unknown as Record<string, unknown>, version: valid.data.version!, beforeHash: change.beforeHash, afterHash: change.afterHash }],
    }),
  );
  return (await findRegistration(db, id))!;
}

/** Deletes a draft that never entered the approval process (a returned one is withdrawn instead). */
export async function removeRegistration(db: Db, actor: Actor, id: string): Promise<Registration> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  return db.transaction(async (trx) => {
    const current = await lockRegistration(trx, id, registrationScopeOf(actor));
    if (!current) throw AppError.notFound(WHAT);
    // Administrators may delete too (api/rights.ts), so only the status part of the rule applies here.
    enforce(deletableRefusal(current));
    const before = (await findRegistration(trx, id))!;
    await deleteRegistration(trx, id);
    await appendAuditEvent(trx, {
      action: 'registration.deleted',
      actorId: actor.id,
      actorName: actor.name,
      registrationId: id,
      beforeHash: registrationContentHash(before),
      details: { schoolId: before.schoolId, name: before.name },
    });
    return before;
  });
}
