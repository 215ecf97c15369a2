/**
 * Stored files (the `files` table): immutable rows — a new stamp is a new file, so a signature
 * keeps pointing at the exact bytes it was made over.
 */
import type { Knex } from 'knex';
import { scaledForStorage, type CheckedImage } from './images';

type Conn = Knex | Knex.Transaction;

export const FILE_KINDS = ['stamp', 'signature', 'evidence'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A file without its bytes, as the API answers it. */
export interface StoredFile {
  id: string;
  kind: FileKind;
  sha256: string;
  mediaType: string;
  size: number;
  width: number | null;
  height: number | null;
  originalName: string | null;
  schoolId: number | null;
  uploadedBy: number | null;
  createdAt: string;
}

const META = ['id', 'kind', 'sha256', 'mediaType', 'size', 'width', 'height', 'originalName', 'schoolId', 'uploadedBy', 'createdAt'];

function toStoredFile(row: Record<string, unknown>): StoredFile {
  return { ...(row as unknown as StoredFile), createdAt: new Date(row.createdAt as string).toISOString() };
}

export async function insertImageFile(
  db: Conn,
  args: { kind: FileKind; image: CheckedImage; schoolId: number | null; uploadedBy: number | null; originalName?: string | null },
): Promise<StoredFile> {
  const image = await scaledForStorage(args.image);
  const [row] = await db('files')
    .insert({
      kind: args.kind,
      sha256: image.sha256,
      mediaType: image.mediaType,
      size: image.size,
      width: image.width,
      height: image.height,
      originalName: args.originalName ? args.originalName.slice(0, 255) : null,
      content: image.bytes,
      schoolId: args.schoolId,
      uploadedBy: args.uploadedBy,
    })
    .returning(META);
  return toStoredFile(row);
}

export async function findFileMeta(db: Conn, id: string): Promise<StoredFile | null> {
  const row = await db('files').where({ id }).first(META);
  return row ? toStoredFile(row) : null;
}

export async function findFileWithContent(db: Conn, id: string): Promise<(StoredFile & { content: Buffer }) | null> {
  const row = await db('files').where({ id }).first([...META, 'content']);
  return row ? { ...toStoredFile(row), content: row.content as Buffer } : null;
}
