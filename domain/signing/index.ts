/**
 * Principal signature and stamp (issue 5). The API calls prepareSignature before it sends the
 * workflow's `sign` update; a worker activity calls recordSignature once the workflow accepted it.
 * verifySignature answers whether a stored signature still holds; voidSignatureOnEdit is called
 * when signed content is edited.
 */
import type { Knex } from 'knex';
import { AppError } from '../errors';
import type { WorkflowActor } from '../process/vocabulary';
import { appendAuditEvent, sha256 } from '../audit';
import { decodeDataUrl, checkImage, ImageRejected } from '../files/images';
import { findFileWithContent, insertImageFile } from '../files/repository';
import { findRegistration } from '../registrations/repository';
import { canonicalContentHash } from './canonical';
import { loadSigningKey, type SigningKey } from './keys';
import { signStatement, statementVerifies, type SignedStatement } from './statement';

export { canonicalContent, canonicalContentHash } from './canonical';
export { loadSigningKey, type SigningKey, type SigningKeySource } from './keys';
export type { SignedStatement } from './statement';

type Conn = Knex | Knex.Transaction;

const REGISTRATION = '登记 / Registration';

export interface PreparedSignature {
  signatureFileId: string;
  stampFileId: string;
}

/**
 * Called by the API before the `sign` update is sent: sniffs and stores the drawn signature image
 * (PNG/JPEG, size and pixel limits), checks the school has a stamp. Throws AppError 400 (bad image),
 * 404 (no such registration), 403 (another school's principal) or 409 (school has no stamp).
 * Stores nothing when it throws.
 */
export async function prepareSignature(
  db: Knex,
  input: { registrationId: string; actor: WorkflowActor; signatureImage: unknown },
): Promise<PreparedSignature> {
  return db.transaction(async (trx) => {
    const registration = await trx('registrations as r')
      .join('schools as s', 's.id', 'r.schoolId')
      .where('r.id', input.registrationId)
      .first('r.id', 'r.schoolId', 's.stampFileId');
    if (!registration) throw AppError.notFound(REGISTRATION);
    if (input.actor.schoolId !== registration.schoolId) {
      throw AppError.forbidden('只能为本校的登记签名 / You can only sign registrations of your own school');
    }
    if (!registration.stampFileId) {
      throw AppError.conflict('本校尚未上传公章，无法签名。请管理员或校长先上传公章 / Your school has no official stamp yet; an administrator or the principal must upload it before signing', {
        stamp: '缺少公章 / Stamp missing',
      });
    }
    let image;
    try {
      image = checkImage(decodeDataUrl(input.signatureImage));
    } catch (err) {
      if (err instanceof ImageRejected) {
        throw AppError.badRequest(`签名图片无效：${err.message}`, { 'payload.signatureImage': err.message });
      }
      throw err;
    }
    const file = await insertImageFile(trx, { kind: 'signature', image, schoolId: registration.schoolId, uploadedBy: input.actor.id });
    await appendAuditEvent(trx, {
      action: 'signature.image_uploaded',
      actorId: input.actor.id,
      actorName: input.actor.name,
      registrationId: input.registrationId,
      details: { fileId: file.id, sha256: file.sha256, mediaType: file.mediaType, width: file.width, height: file.height },
    });
    return { signatureFileId: file.id, stampFileId: registration.stampFileId as string };
  });
}

export interface RecordSignatureInput {
  registrationId: string;
  signerId: number;
  signatureFileId: string;
  /** The workflow's time of the decision (ISO). */
  signedAt: string;
  /** Where the generated key lives when no PEM is configured (config.dataDir). */
  dataDir: string;
  /** config.SIGNING_KEY_PEM: wins over the key file under dataDir. */
  signingKeyPem?: string | null;
  /** The stamp shown at signing (PreparedSignature.stampFileId); the school's current stamp when absent. */
  stampFileId?: string | null;
  /** A loaded key (tests); wins over dataDir/signingKeyPem. */
  signingKey?: SigningKey;
}

/**
 * Called by the worker's activity when the workflow accepts the `sign` action: builds the canonical
 * content, hashes it, signs the statement with the server's Ed25519 key, stores the signature record
 * and links it to the registration. Idempotent per (registrationId, signatureFileId).
 */
export async function recordSignature(db: Knex, input: RecordSignatureInput): Promise<{ signatureId: string; contentHash: string }> {
  const key = input.signingKey ?? loadSigningKey({ pem: input.signingKeyPem, dataDir: input.dataDir });
  return db.transaction(async (trx) => {
    const locked = await trx('registrations').where({ id: input.registrationId }).forUpdate().first('id', 'schoolId');
    if (!locked) throw AppError.notFound(REGISTRATION);
    const existing = await trx('signatures')
      .where({ registrationId: input.registrationId, signatureFileId: input.signatureFileId })
      .first('id', 'contentHash');
    if (existing) return { signatureId: existing.id as string, contentHash: existing.contentHash as string };

    const registration = (await findRegistration(trx, input.registrationId))!;
    const school = await trx('schools').where({ id: registration.schoolId }).first('stampFileId');
    const stampFileId = input.stampFileId ?? (school?.stampFileId as string | null);
    if (!stampFileId) throw AppError.conflict('本校尚未上传公章，无法签名 / The school has no official stamp; cannot sign');
    // One connection in a transaction: one query at a time.
    const stamp = await findFileWithContent(trx, stampFileId);
    const signatureImage = await findFileWithContent(trx, input.signatureFileId);
    const signer = await trx('users').where({ id: input.signerId }).first('name');
    if (!stamp || stamp.kind !== 'stamp') throw AppError.conflict('公章文件不存在 / The stamp file does not exist');
    if (!signatureImage || signatureImage.kind !== 'signature') throw AppError.conflict('签名图片不存在 / The signature image does not exist');

    const statement: SignedStatement = {
      v: 1,
      registrationId: registration.id,
      contentHash: canonicalContentHash(registration),
      signerId: input.signerId,
      schoolId: registration.schoolId,
      stampFileId,
      stampFileHash: sha256(stamp.content),
      signatureFileId: input.signatureFileId,
      signatureImageHash: sha256(signatureImage.content),
      signedAt: new Date(input.signedAt).toISOString(),
      keyId: key.keyId,
    };
    const [{ id }] = await trx('signatures')
      .insert({
        registrationId: statement.registrationId,
        signerId: statement.signerId,
        schoolId: statement.schoolId,
        contentHash: statement.contentHash,
        stampFileId,
        signatureFileId: statement.signatureFileId,
        payload: JSON.stringify(statement),
        serverSignature: signStatement(statement, key.privateKey),
        signedAt: statement.signedAt,
      })
      .returning('id');
    await trx('registrations').where({ id: registration.id }).update({ signatureId: id });
    await appendAuditEvent(trx, {
      action: 'registration.signed',
      actorId: input.signerId,
      actorName: (signer?.name as string | undefined) ?? null,
      registrationId: registration.id,
      afterHash: statement.contentHash,
      details: { signatureId: id, stampFileHash: statement.stampFileHash, signatureImageHash: statement.signatureImageHash, keyId: key.keyId },
      dedupeKey: `registration.signed:${registration.id}:${input.signatureFileId}`,
    });
    return { signatureId: id as string, contentHash: statement.contentHash };
  });
}

export type SignatureVerdict = 'valid' | 'content_changed' | 'invalid';

export interface SignatureRecord {
  id: string;
  registrationId: string;
  signerId: number;
  signerName: string | null;
  schoolId: number;
  contentHash: string;
  stampFileId: string;
  signatureFileId: string;
  payload: SignedStatement;
  serverSignature: string;
  signedAt: string;
  voidedAt: string | null;
  voidReason: string | null;
  /** Whether this is the registration's current signature (a voided one is not). */
  current: boolean;
}

export interface SignatureVerification {
  record: SignatureRecord;
  verdict: SignatureVerdict;
  checks: {
    serverSignature: boolean;
    recordMatchesStatement: boolean;
    stampFile: boolean;
    signatureFile: boolean;
    content: boolean;
  };
  currentContentHash: string;
}

/** The registration's current signature, or else its latest one (voided by an edit). */
export async function findSignatureRecord(db: Conn, registrationId: string): Promise<SignatureRecord | null> {
  const reg = await db('registrations').where({ id: registrationId }).first('signatureId');
  if (!reg) return null;
  const q = db('signatures as g').leftJoin('users as u', 'u.id', 'g.signerId').select('g.*', 'u.name as signerName');
  const row = reg.signatureId
    ? await q.where('g.id', reg.signatureId).first()
    : await q.where('g.registrationId', registrationId).orderBy('g.signedAt', 'desc').orderBy('g.id', 'desc').first();
  if (!row) return null;
  return {
    id: row.id,
    registrationId: row.registrationId,
    signerId: row.signerId,
    signerName: row.signerName ?? null,
    schoolId: row.schoolId,
    contentHash: row.contentHash,
    stampFileId: row.stampFileId,
    signatureFileId: row.signatureFileId,
    payload: row.payload as SignedStatement,
    serverSignature: row.serverSignature,
    signedAt: new Date(row.signedAt).toISOString(),
    voidedAt: row.voidedAt ? new Date(row.voidedAt).toISOString() : null,
    voidReason: row.voidReason ?? null,
    current: reg.signatureId === row.id,
  };
}

/**
 * Checks a registration's signature: `invalid` when the server signature does not verify over the
 * stored statement, the record's columns differ from the statement, or the stamp or signature
 * bytes no longer hash to the signed values; `content_changed` when the registration now differs
 * from what was signed; else `valid`. Writes an audit event naming the verdict.
 */
export async function verifySignature(
  db: Knex,
  input: { registrationId: string; key: SigningKey; actor: { id: number; name: string } | null },
): Promise<SignatureVerification | null> {
  const record = await findSignatureRecord(db, input.registrationId);
  if (!record) return null;
  const statement = record.payload;
  const [registration, stamp, signatureImage] = await Promise.all([
    findRegistration(db, input.registrationId),
    findFileWithContent(db, record.stampFileId),
    findFileWithContent(db, record.signatureFileId),
  ]);
  const currentContentHash = canonicalContentHash(registration!);
  const checks = {
    serverSignature: statementVerifies(statement, record.serverSignature, input.key.publicKey),
    recordMatchesStatement:
      statement.registrationId === record.registrationId &&
      statement.contentHash === record.contentHash &&
      statement.signerId === record.signerId &&
      statement.schoolId === record.schoolId &&
      statement.stampFileId === record.stampFileId &&
      statement.signatureFileId === record.signatureFileId &&
      statement.signedAt === record.signedAt,
    stampFile: !!stamp && sha256(stamp.content) === statement.stampFileHash,
    signatureFile: !!signatureImage && sha256(signatureImage.content) === statement.signatureImageHash,
    content: currentContentHash === statement.contentHash,
  };
  const intact = checks.serverSignature && checks.recordMatchesStatement && checks.stampFile && checks.signatureFile;
  const verdict: SignatureVerdict = !intact ? 'invalid' : !checks.content ? 'content_changed' : 'valid';
  await appendAuditEvent(db, {
    action: 'signature.verified',
    actorId: input.actor?.id ?? null,
    actorName: input.actor?.name ?? null,
    registrationId: input.registrationId,
    beforeHash: statement.contentHash ?? null,
    afterHash: currentContentHash,
    details: { signatureId: record.id, verdict, checks },
  });
  return { record, verdict, checks, currentContentHash };
}

/**
 * Signed content was edited: the current signature is void (kept, with the time and reason) and the
 * registration no longer points at it. Called by the workflow's edit activity, inside its
 * transaction; answers the voided signature's id, or null when there was none.
 */
export async function voidSignatureOnEdit(
  trx: Knex.Transaction,
  input: { registrationId: string; actor: { id: number; name: string }; reason: string; beforeHash?: string; afterHash?: string },
): Promise<string | null> {
  const reg = await trx('registrations').where({ id: input.registrationId }).forUpdate().first('signatureId');
  if (!reg?.signatureId) return null;
  const reason = input.reason.slice(0, 200);
  await trx('signatures').where({ id: reg.signatureId }).whereNull('voidedAt').update({ voidedAt: trx.fn.now(), voidReason: reason });
  await trx('registrations').where({ id: input.registrationId }).update({ signatureId: null });
  await appendAuditEvent(trx, {
    action: 'signature.voided',
    actorId: input.actor.id,
    actorName: input.actor.name,
    registrationId: input.registrationId,
    beforeHash: input.beforeHash ?? null,
    afterHash: input.afterHash ?? null,
    details: { signatureId: reg.signatureId, reason },
  });
  return reg.signatureId as string;
}
