/**
 * Uploads and downloads of stored files. The bytes decide the type (PNG or JPEG); a refused upload
 * stores nothing. A file is readable by its uploader, its school, that school's bureau, and
 * administrators; to anyone else it does not exist.
 */
import { appendAuditEvent } from '../../domain/audit';
import { checkImage, decodeDataUrl, ImageRejected, type CheckedImage } from '../../domain/files/images';
import { findFileWithContent, insertImageFile, type FileKind, type StoredFile } from '../../domain/files/repository';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fileReadableThroughComment } from './comments';

const WHAT = '文件 / File';

/** What a route received: multipart bytes, or a JSON body with a data URL. */
export interface UploadInput {
  bytes?: Buffer;
  dataUrl?: unknown;
  originalName?: string | null;
  kind?: unknown;
}

/** Bytes → checked image, or a 400 naming the field. */
export function imageFromUpload(input: UploadInput, field = 'file'): CheckedImage {
  try {
    const bytes = input.bytes ?? decodeDataUrl(input.dataUrl);
    return checkImage(bytes);
  } catch (err) {
    if (err instanceof ImageRejected) throw AppError.badRequest(err.message, { [field]: err.message });
    throw err;
  }
}

const UPLOADABLE: FileKind[] = ['evidence', 'signature'];

/** `opts.schoolId`: the school the file belongs to (default the uploader's; null for a comment's attachment, readable through its comment). */
export async function uploadFile(db: Db, actor: Actor, input: UploadInput, opts: { schoolId?: number | null } = {}): Promise<StoredFile> {
  const kind = (input.kind ?? 'evidence') as FileKind;
  if (!UPLOADABLE.includes(kind)) {
    const message =
      kind === 'stamp'
        ? '公章请通过 /api/schools/:id/stamp 上传 / Upload a stamp through /api/schools/:id/stamp'
        : `文件类型应为 ${UPLOADABLE.join('、')} 之一 / kind must be one of ${UPLOADABLE.join(', ')}`;
    throw AppError.badRequest(message, { kind: message });
  }
  const image = imageFromUpload(input);
  return db.transaction(async (trx) => {
    const file = await insertImageFile(trx, { kind, image, schoolId: opts.schoolId === undefined ? actor.schoolId : opts.schoolId, uploadedBy: actor.id, originalName: input.originalName });
    await appendAuditEvent(trx, {
      action: 'file.uploaded',
      actorId: actor.id,
      actorName: actor.name,
      afterHash: file.sha256,
      details: { fileId: file.id, kind, mediaType: file.mediaType, size: file.size, width: file.width, height: file.height, schoolId: file.schoolId },
    });
    return file;
  });
}

/** Whether the actor may see a file of this school (or this uploader). */
async function canSeeFile(db: Db, actor: Actor, file: StoredFile): Promise<boolean> {
  if (actor.roles.includes('admin') || file.uploadedBy === actor.id) return true;
  if (file.schoolId == null) return false;
  if (actor.schoolId === file.schoolId) return true;
  if (actor.roles.includes('bureau_approver') && actor.districtId != null) {
    const school = await db('schools').where({ id: file.schoolId }).first('districtId');
    return school?.districtId === actor.districtId;
  }
  return false;
}

export async function readFile(db: Db, actor: Actor, id: string): Promise<StoredFile & { content: Buffer }> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const file = await findFileWithContent(db, id);
  // A file attached to a comment is readable by whoever reads the comment (api/usecases/comments.ts).
  if (!file || !((await canSeeFile(db, actor, file)) || (await fileReadableThroughComment(db, actor, id)))) throw AppError.notFound(WHAT);
  return file;
}
