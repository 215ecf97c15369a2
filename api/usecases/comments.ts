/**
 * Comments on a registration (GET/POST /api/registrations/:id/comments {body, fileIds}). Everyone in
 * the registration's chain reads and writes them: its lead school's staff, leader and principal, the
 * bureau of its district, administrators, and the users it was copied to. Anyone else is told it
 * does not exist (404). Attachments are files the commenter uploaded (POST /api/files, or
 * POST /api/registrations/:id/comments/files); once attached, whoever reads the comment reads them.
 * Each comment is an audit event in the registration's stream and an entry of its timeline.
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { copyEventsOf } from '../../domain/collab/copies';
import { textRefusal } from '../../domain/process/rules';
import { findRegistration } from '../../domain/registrations/repository';
import { notifyUsers, recipientsFor, type Recipient } from '../../domain/tasks/notifications';
import type { StoredFile } from '../../domain/files/repository';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { readScopeFor } from './copies';
import { uploadFile, type UploadInput } from './files';
import { parseBody } from './input';
import { enforce } from './workflow-calls';

const WHAT = '登记 / Registration';
export const COMMENT_MAX = 2000;
export const COMMENT_FILES_MAX = 5;

export interface CommentFile {
  id: string;
  mediaType: string;
  originalName: string | null;
  size: number;
}

export interface Comment {
  id: string;
  registrationId: string;
  authorId: number;
  authorName: string | null;
  body: string;
  fileIds: string[];
  files: CommentFile[];
  createdAt: string;
}

export const commentBodySchema = z.strictObject({
  body: z
    .string({ message: '请填写评论内容 / Write the comment' })
    .trim()
    .min(1, '请填写评论内容 / Write the comment')
    .max(COMMENT_MAX, `评论不能超过 ${COMMENT_MAX} 字 / At most ${COMMENT_MAX} characters`),
  fileIds: z
    .array(z.string().regex(UUID_RE, '不是有效的文件编号 / Not a valid file id'), { message: '须为文件编号列表 / Must be a list of file ids' })
    .max(COMMENT_FILES_MAX, `最多 ${COMMENT_FILES_MAX} 个附件 / At most ${COMMENT_FILES_MAX} attachments`)
    .default([]),
});

/** Whether the actor reads this registration (their scope, or a copy to them). */
export async function canReadRegistration(db: Db, actor: Actor, id: string): Promise<boolean> {
  if (!UUID_RE.test(id)) return false;
  return !!(await findRegistration(db, id, await readScopeFor(db, actor, id)));
}

async function registrationReadable(db: Db, actor: Actor, id: string): Promise<void> {
  if (!(await canReadRegistration(db, actor, id))) throw AppError.notFound(WHAT);
}

async function commentsOf(db: Db, registrationId: string, ids?: string[]): Promise<Comment[]> {
  const q = db('registrationComments').where({ registrationId });
  if (ids) q.whereIn('id', ids);
  const rows = (await q.orderBy('createdAt').orderBy('id').select('*')) as { id: string; registrationId: string; authorId: number; authorName: string | null; body: string; createdAt: Date }[];
  if (!rows.length) return [];
  const files = (await db('registrationCommentFiles as cf')
    .join('files as f', 'f.id', 'cf.fileId')
    .whereIn('cf.commentId', rows.map((r) => r.id))
    .orderBy('cf.position')
    .select('cf.commentId', 'f.id', 'f.mediaType', 'f.originalName', 'f.size')) as (CommentFile & { commentId: string })[];
  return rows.map((r) => {
    const own = files.filter((f) => f.commentId === r.id).map(({ commentId: _c, ...f }) => f);
    return { id: r.id, registrationId: r.registrationId, authorId: r.authorId, authorName: r.authorName, body: r.body, fileIds: own.map((f) => f.id), files: own, createdAt: new Date(r.createdAt).toISOString() };
  });
}

export async function listComments(db: Db, actor: Actor, registrationId: string): Promise<Comment[]> {
  await registrationReadable(db, actor, registrationId);
  return commentsOf(db, registrationId);
}

type Conn = Parameters<typeof notifyUsers>[0];

/**
 * Who hears of a comment: everyone in the registration's conversation — its author, whoever acted on
 * it, whoever holds its open tasks now, earlier commenters and the users it was copied to — except
 * the commenter. Only active users.
 */
async function commentAudience(trx: Conn, registrationId: string, commenterId: number): Promise<Recipient[]> {
  const reg = (await trx('registrations as r').join('schools as s', 's.id', 'r.schoolId').where('r.id', registrationId).first('r.createdBy', 'r.schoolId', 's.districtId')) as
    | { createdBy: number | null; schoolId: number; districtId: number | null }
    | undefined;
  if (!reg) return [];
  const ids = new Set<number>();
  if (reg.createdBy != null) ids.add(reg.createdBy);
  const tasks = (await trx('tasks').where({ registrationId }).select('status', 'assigneeRole', 'assigneeUserId', 'claimedBy', 'completedBy')) as {
    status: string;
    assigneeRole: string | null;
    assigneeUserId: number | null;
    claimedBy: number | null;
    completedBy: number | null;
  }[];
  const byRole: Recipient[] = [];
  for (const t of tasks) {
    for (const id of [t.completedBy, t.claimedBy, t.assigneeUserId]) if (id != null) ids.add(id);
    // An open task nobody is named for belongs to everyone holding its role there.
    if (t.status === 'open' && t.assigneeUserId == null && t.claimedBy == null && t.assigneeRole) byRole.push(...(await recipientsFor(trx, { role: t.assigneeRole, schoolId: reg.schoolId, districtId: reg.districtId })));
  }
  for (const { authorId } of (await trx('registrationComments').where({ registrationId }).distinct('authorId')) as { authorId: number }[]) ids.add(authorId);
  for (const { userId } of (await trx('registrationCopies').where({ registrationId }).distinct('userId')) as { userId: number }[]) ids.add(userId);
  const named = ids.size ? ((await trx('users').whereIn('id', [...ids]).where({ active: true }).select('id', 'name', 'email', 'timeZone')) as Recipient[]) : [];
  const audience = new Map<number, Recipient>();
  for (const r of [...named, ...byRole]) if (r.id !== commenterId) audience.set(r.id, r);
  return [...audience.values()].sort((a, b) => a.id - b.id);
}

export async function addComment(db: Db, actor: Actor, registrationId: string, raw: unknown, opts: { email?: boolean } = {}): Promise<Comment> {
  await registrationReadable(db, actor, registrationId);
  const input = parseBody(commentBodySchema, raw, '评论有误 / The comment is invalid');
  enforce(textRefusal(input.body, 'body'));
  const fileIds = [...new Set(input.fileIds)];
  if (fileIds.length) {
    const own = (await db('files').whereIn('id', fileIds).where({ uploadedBy: actor.id }).pluck('id')) as string[];
    const foreign = fileIds.filter((f) => !own.includes(f));
    if (foreign.length) {
      const message = `只能附上自己上传的文件 / Only files you uploaded can be attached: ${foreign.join(', ')}`;
      throw AppError.badRequest('评论有误 / The comment is invalid', { fileIds: message });
    }
  }
  const id = await db.transaction(async (trx) => {
    const [row] = (await trx('registrationComments').insert({ registrationId, authorId: actor.id, authorName: actor.name, body: input.body }).returning(['id'])) as { id: string }[];
    if (fileIds.length) await trx('registrationCommentFiles').insert(fileIds.map((fileId, position) => ({ commentId: row.id, fileId, position })));
    await appendAuditEvent(trx, {
      action: 'registration.commented',
      actorId: actor.id,
      actorName: actor.name,
      registrationId,
      details: { commentId: row.id, fileIds, length: input.body.length },
    });
    const reg = (await trx('registrations').where({ id: registrationId }).first('name', 'schoolId')) as { name: string; schoolId: number };
    const excerpt = input.body.length > 120 ? `${input.body.slice(0, 120)}…` : input.body;
    await notifyUsers(
      trx,
      await commentAudience(trx, registrationId, actor.id),
      {
        kind: 'commented',
        dedupeKey: `comment:${row.id}`,
        registrationId,
        schoolId: reg.schoolId,
        // The names stand in the Chinese half only (the console appends them to the English one).
        title: `新评论 — ${reg.name}（${actor.name}） / New comment`,
        body: excerpt,
      },
      opts,
    );
    return row.id;
  });
  return (await commentsOf(db, registrationId, [id]))[0];
}

/** An attachment for a comment on this registration: stored like any upload (type-sniffed, size-limited), readable by its uploader until attached. */
export async function uploadCommentFile(db: Db, actor: Actor, registrationId: string, input: UploadInput): Promise<StoredFile> {
  await registrationReadable(db, actor, registrationId);
  return uploadFile(db, actor, { ...input, kind: 'evidence' }, { schoolId: null });
}

/** Whether some comment the actor can read carries the file. */
export async function fileReadableThroughComment(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  const rows = (await db('registrationCommentFiles as cf').join('registrationComments as c', 'c.id', 'cf.commentId').where('cf.fileId', fileId).distinct('c.registrationId')) as { registrationId: string }[];
  for (const r of rows) if (await canReadRegistration(db, actor, r.registrationId)) return true;
  return false;
}

/** A timeline entry that is not a process decision: a copy (抄送 N 人) or a comment. */
export interface CollabHistoryEntry {
  step: 'cc' | 'comment';
  round: number;
  action: 'copied' | 'comment';
  actorId: number | null;
  actorName: string | null;
  comment: string | null;
  at: string;
  count?: number;
  names?: string[];
  occasion?: string;
  ccStep?: string;
  commentId?: string;
  fileIds?: string[];
}

export async function commentTimelineEntries(db: Db, registrationId: string): Promise<CollabHistoryEntry[]> {
  const [copies, comments] = await Promise.all([copyEventsOf(db, registrationId), commentsOf(db, registrationId)]);
  return [
    ...copies.map(
      (c): CollabHistoryEntry => ({
        step: 'cc',
        round: c.round,
        action: 'copied',
        actorId: null,
        actorName: null,
        comment: `抄送 ${c.count} 人：${c.names.join('、')} / Copied to ${c.count}: ${c.names.join(', ')}`,
        at: c.at,
        count: c.count,
        names: c.names,
        occasion: c.occasion,
        ccStep: c.step,
      }),
    ),
    ...comments.map((c): CollabHistoryEntry => ({ step: 'comment', round: 0, action: 'comment', actorId: c.authorId, actorName: c.authorName, comment: c.body, at: c.createdAt, commentId: c.id, fileIds: c.fileIds })),
  ];
}
