/**
 * 抄送 (copies): written by the workflow's activities in the transaction of the decision they copy
 * (idempotent: one row per registration, user, occasion, step and round), read by the inbox's
 * 抄送我的 view, and consulted wherever a copied user may read a registration outside their scope.
 */
import type { Knex } from 'knex';
import { appendAuditEvent } from '../audit';
import { notifyUsers, recipientsFor, type Recipient } from '../tasks/notifications';
import { ccApplies, CC_STEPS, NO_CC, type CcSettings } from './cc-policy';

type Conn = Knex | Knex.Transaction;

/** The cc settings of every chain step's policy (none where no row or no settings). */
export async function loadCcSettings(db: Conn): Promise<Record<string, CcSettings>> {
  const rows = (await db('deadlinePolicies').whereIn('step', CC_STEPS as readonly string[]).select('step', 'ccRoles', 'ccUserIds', 'ccWhen')) as {
    step: string;
    ccRoles: string[] | null;
    ccUserIds: number[] | null;
    ccWhen: CcSettings['ccWhen'];
  }[];
  const out: Record<string, CcSettings> = {};
  for (const step of CC_STEPS) out[step] = NO_CC;
  for (const r of rows) out[r.step] = { ccRoles: r.ccRoles ?? [], ccUserIds: r.ccUserIds ?? [], ccWhen: r.ccWhen ?? null };
  return out;
}

export interface CopyEvent {
  registrationId: string;
  occasion: 'submit' | 'approve';
  /** The step passed (approve); for a submission, 'submit'. */
  step: string;
  round: number;
  actor: { id: number | null; name: string | null } | null;
  /** Workflow time of the decision copied. */
  at: string;
}

interface Facts {
  id: string;
  name: string;
  schoolId: number;
  districtId: number;
}

/** The users a set of cc settings names for this registration: roles in its scope, named users anywhere; active only. */
async function recipientsOf(db: Conn, reg: Facts, settings: CcSettings[]): Promise<Recipient[]> {
  const byId = new Map<number, Recipient>();
  for (const cc of settings) {
    for (const role of cc.ccRoles) {
      for (const r of await recipientsFor(db, { role, schoolId: reg.schoolId, districtId: reg.districtId })) byId.set(r.id, r);
    }
    if (cc.ccUserIds.length) {
      const users = (await db('users').whereIn('id', cc.ccUserIds).where({ active: true }).select('id', 'name', 'email')) as Recipient[];
      for (const u of users) byId.set(u.id, u);
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Copies the registration to the people the policies name for this event, inside the caller's
 * transaction: the copy rows, one in-app notification each (and its e-mail in the outbox when mail
 * is on), and one audit event. A retry writes nothing twice. Answers how many people are copied.
 */
export async function writeCopies(trx: Conn, event: CopyEvent, opts: { email?: boolean } = {}): Promise<number> {
  const all = await loadCcSettings(trx);
  const settings =
    event.occasion === 'submit' ? CC_STEPS.map((s) => all[s]).filter((cc) => ccApplies(cc, 'submit')) : [all[event.step]].filter((cc) => cc && ccApplies(cc, 'approve'));
  if (!settings.length) return 0;
  const reg = (await trx('registrations as r')
    .join('schools as s', 's.id', 'r.schoolId')
    .where('r.id', event.registrationId)
    .first('r.id', 'r.name', 'r.schoolId', 's.districtId')) as Facts | undefined;
  if (!reg) return 0;
  // The one who caused the event knows of it: not copied to themselves.
  const recipients = (await recipientsOf(trx, reg, settings)).filter((r) => r.id !== event.actor?.id);
  if (!recipients.length) return 0;
  const at = new Date(event.at);
  await trx('registrationCopies')
    .insert(recipients.map((r) => ({ registrationId: reg.id, userId: r.id, occasion: event.occasion, step: event.step, round: event.round, copiedBy: event.actor?.id ?? null, copiedAt: at })))
    .onConflict(['registrationId', 'userId', 'occasion', 'step', 'round'])
    .ignore();
  const key = `wf:${reg.id}:cc:${event.occasion}:${event.step}:${event.round}`;
  const what = event.occasion === 'submit' ? { zh: '提交', en: 'submitted' } : { zh: '通过', en: 'passed a step' };
  await notifyUsers(
    trx,
    recipients,
    {
      kind: 'copied',
      dedupeKey: key,
      registrationId: reg.id,
      schoolId: reg.schoolId,
      title: `抄送：${reg.name}（${what.zh}）/ Copied to you: ${reg.name} (${what.en})`,
      body: event.actor?.name ? `${event.actor.name}` : null,
    },
    opts,
  );
  await appendAuditEvent(trx, {
    action: 'registration.copied',
    actorId: event.actor?.id ?? null,
    actorName: event.actor?.name ?? null,
    registrationId: reg.id,
    details: { occasion: event.occasion, step: event.step, round: event.round, count: recipients.length, userIds: recipients.map((r) => r.id) },
    dedupeKey: key,
  });
  return recipients.length;
}

// --- reading (API side) --------------------------------------------------------------------------

/** Whether the registration was copied to the user. */
export async function isCopiedTo(db: Conn, registrationId: string, userId: number): Promise<boolean> {
  return !!(await db('registrationCopies').where({ registrationId, userId }).first('id'));
}

/** Marks the user's copies of a registration read, and the notifications that told of them; answers how many copies changed. */
export async function markCopiesRead(db: Conn, registrationId: string, userId: number): Promise<number> {
  const n = await db('registrationCopies').where({ registrationId, userId }).whereNull('readAt').update({ readAt: db.fn.now() });
  if (n) await db('notifications').where({ registrationId, recipientUserId: userId, kind: 'copied' }).whereNull('readAt').update({ readAt: db.fn.now() });
  return n;
}

/** Registrations copied to the user with at least one unread copy. */
export async function unreadCopiedCount(db: Conn, userId: number): Promise<number> {
  const row = (await db('registrationCopies').where({ userId }).whereNull('readAt').countDistinct({ n: 'registrationId' }).first()) as { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

/** The copies of a registration as timeline entries: one per event (occasion, step, round), "抄送 N 人". */
export async function copyEventsOf(db: Conn, registrationId: string) {
  const rows = (await db('registrationCopies as c')
    .join('users as u', 'u.id', 'c.userId')
    .where('c.registrationId', registrationId)
    .groupBy('c.occasion', 'c.step', 'c.round')
    .select('c.occasion', 'c.step', 'c.round')
    .min({ at: 'c.copiedAt' })
    .count({ n: '*' })
    .select(db.raw('array_agg(u.name order by u.id) as names'))) as { occasion: string; step: string; round: number; at: Date; n: string | number; names: string[] }[];
  return rows.map((r) => ({ occasion: r.occasion, step: r.step, round: r.round, at: new Date(r.at).toISOString(), count: Number(r.n), names: r.names }));
}
