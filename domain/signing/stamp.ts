/**
 * A school's official stamp (公章): uploaded once by an administrator or the school's principal and
 * applied at every signing. A new upload is a new file; signatures made earlier keep their own.
 */
import type { Knex } from 'knex';
import { appendAuditEvent } from '../audit';
import { checkImage } from '../files/images';
import { insertImageFile, type StoredFile } from '../files/repository';

export async function setSchoolStamp(
  db: Knex,
  input: { schoolId: number; bytes: Buffer; actor: { id: number; name: string } | null; originalName?: string | null; auditAction?: string; onlyIfMissing?: false },
): Promise<StoredFile>;
/** With onlyIfMissing, a school that has a stamp by the time its row is locked keeps it (answers null). */
export async function setSchoolStamp(
  db: Knex,
  input: { schoolId: number; bytes: Buffer; actor: { id: number; name: string } | null; originalName?: string | null; auditAction?: string; onlyIfMissing: true },
): Promise<StoredFile | null>;
export async function setSchoolStamp(
  db: Knex,
  input: { schoolId: number; bytes: Buffer; actor: { id: number; name: string } | null; originalName?: string | null; auditAction?: string; onlyIfMissing?: boolean },
): Promise<StoredFile | null> {
  // Throws ImageRejected before anything is written.
  const image = checkImage(input.bytes);
  return db.transaction(async (trx) => {
    const school = await trx('schools').where({ id: input.schoolId }).forUpdate().first('id', 'stampFileId');
    if (!school) throw new Error(`school ${input.schoolId} does not exist`);
    if (input.onlyIfMissing && school.stampFileId) return null;
    const before = school.stampFileId ? await trx('files').where({ id: school.stampFileId }).first('sha256') : null;
    const file = await insertImageFile(trx, {
      kind: 'stamp',
      image,
      schoolId: input.schoolId,
      uploadedBy: input.actor?.id ?? null,
      originalName: input.originalName ?? null,
    });
    await trx('schools').where({ id: input.schoolId }).update({ stampFileId: file.id, updatedAt: trx.fn.now() });
    await appendAuditEvent(trx, {
      action: input.auditAction ?? 'school.stamp_set',
      actorId: input.actor?.id ?? null,
      actorName: input.actor?.name ?? null,
      beforeHash: (before?.sha256 as string | undefined) ?? null,
      afterHash: file.sha256,
      details: { schoolId: input.schoolId, fileId: file.id, previousFileId: school.stampFileId ?? null, mediaType: file.mediaType, width: file.width, height: file.height },
    });
    return file;
  });
}
