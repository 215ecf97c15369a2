/**
 * The audit log, read-only: administrators read every event; a bureau approver reads the events
 * of registrations of their district's schools.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { isoDateTimeString, UUID_RE } from '../../domain/validation';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fetchPage, type ListQuery, oneOrMany, whereOneOrMany } from '../simple-rest';

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string().meta({ format: 'date-time' }),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    registrationId: z.string().nullable(),
    // Named for the reader: the registration, and the school it belongs to (or the school a school.* event is about).
    registrationName: z.string().nullable(),
    schoolId: z.number().int().nullable(),
    schoolName: z.string().nullable(),
    beforeHash: z.string().nullable(),
    afterHash: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

// ISO 8601 only: Date.parse would also take "1" or "Tue".
const isoDateTime = isoDateTimeString;

export const auditEventFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  registrationId: oneOrMany(z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id')).optional(),
  action: oneOrMany(z.string().max(64)).optional(),
  actorId: oneOrMany(z.coerce.number().int().positive()).optional(),
  atFrom: isoDateTime.optional(),
  atTo: isoDateTime.optional(),
});

export const AUDIT_SORTABLE: Record<string, string> = { id: 'e.id', at: 'e.at', action: 'e.action', actorId: 'e.actorId' };

export function scopedAuditEvents(db: Db, actor: Actor) {
  const qb = db('auditEvents as e');
  if (actor.roles.includes('admin')) return qb;
  // bureau_approver: events of registrations whose lead school is in their district
  return qb.whereIn(
    'e.registrationId',
    db('registrations as r').join('schools as s', 's.id', 'r.schoolId').where('s.districtId', actor.districtId ?? -1).select('r.id'),
  );
}

const toEvent = (r: any): AuditEvent => ({
  id: String(r.id),
  at: new Date(r.at).toISOString(),
  actorId: r.actorId,
  actorName: r.actorName,
  action: r.action,
  registrationId: r.registrationId,
  registrationName: r.registrationName ?? null,
  schoolId: r.schoolId ?? null,
  schoolName: r.schoolName ?? null,
  beforeHash: r.beforeHash,
  afterHash: r.afterHash,
  details: r.details ?? {},
  prevHash: r.prevHash,
  hash: r.hash,
});

/**
 * The names an event is read by: its registration's, and its school's — the registration's lead
 * school, or for an event about a school (school.created …) the school in its details.
 */
export function withNames(qb: ReturnType<typeof scopedAuditEvents>) {
  return qb
    .leftJoin('registrations as r', 'r.id', 'e.registrationId')
    .joinRaw(`left join schools as s on s.id = coalesce(r.school_id, case when e.details->>'schoolId' ~ '^[0-9]{1,9}$' then (e.details->>'schoolId')::int end)`)
    .select('r.name as registrationName', 's.id as schoolId', 's.name as schoolName');
}

/** The list's filter, shared with the export. */
export function applyAuditFilter(base: ReturnType<typeof scopedAuditEvents>, f: z.output<typeof auditEventFilterSchema>) {
  whereOneOrMany(base, 'e.id', f.id);
  whereOneOrMany(base, 'e.registrationId', f.registrationId);
  whereOneOrMany(base, 'e.action', f.action);
  whereOneOrMany(base, 'e.actorId', f.actorId);
  if (f.atFrom) base.where('e.at', '>=', new Date(f.atFrom));
  if (f.atTo) base.where('e.at', '<=', new Date(f.atTo));
  return base;
}

export async function listAuditEvents(db: Db, actor: Actor, list: ListQuery<z.output<typeof auditEventFilterSchema>>) {
  const base = applyAuditFilter(scopedAuditEvents(db, actor), list.filter);
  const page = await fetchPage<any>(base, list, {
    sortable: AUDIT_SORTABLE,
    tieBreaker: 'e.id',
    select: (qb) => withNames(qb).select('e.id', 'e.at', 'e.actorId', 'e.actorName', 'e.action', 'e.registrationId', 'e.beforeHash', 'e.afterHash', 'e.details', 'e.prevHash', 'e.hash'),
  });
  return { rows: page.rows.map(toEvent), total: page.total };
}

export async function getAuditEvent(db: Db, actor: Actor, id: string): Promise<AuditEvent> {
  if (!/^[1-9]\d{0,17}$/.test(id)) throw AppError.notFound('审计事件 / Audit event');
  const row = await withNames(scopedAuditEvents(db, actor)).where('e.id', id).first('e.*');
  if (!row) throw AppError.notFound('审计事件 / Audit event');
  return toEvent(row);
}
