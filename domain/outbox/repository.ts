/**
 * The outbox in Postgres: side effects written with the decision that causes them (same
 * transaction), claimed by a sender with a lease (`FOR UPDATE SKIP LOCKED`, so several senders
 * never take the same row), and marked sent, or retried later, or failed for good.
 */
import type { Knex } from 'knex';

type Conn = Knex | Knex.Transaction;

export const OUTBOX_KINDS = ['email', 'notification'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  /** The in-app notification this e-mail repeats (stamped emailed_at once sent). */
  notificationId?: string | null;
}

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  payload: EmailPayload;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
}

export async function enqueueEmails(trx: Conn, emails: readonly EmailPayload[]): Promise<void> {
  if (!emails.length) return;
  await trx('outbox').insert(emails.map((payload) => ({ kind: 'email', payload: JSON.stringify(payload) })));
}

/**
 * Claims up to `limit` due rows: counts the attempt and pushes next_attempt_at past the lease, in
 * one short statement. A sender that dies mid-delivery leaves the row to be retried after the lease.
 */
export async function claimDue(db: Knex, opts: { limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  const { rows } = await db.raw(
    `update outbox set attempts = attempts + 1, next_attempt_at = now() + (? * interval '1 millisecond')
      where id in (select id from outbox where status = 'pending' and next_attempt_at <= now()
                    order by next_attempt_at, id limit ? for update skip locked)
      returning *`,
    [opts.leaseMs, opts.limit],
  );
  return (rows as Record<string, any>[])
    .map((r) => ({
      id: String(r.id),
      kind: r.kind,
      payload: r.payload,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

export async function markSent(db: Knex, row: OutboxRow): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('outbox').where({ id: row.id }).update({ status: 'sent', sentAt: trx.fn.now(), lastError: null });
    if (row.kind === 'email' && row.payload.notificationId) {
      await trx('notifications').where({ id: row.payload.notificationId }).update({ emailedAt: trx.fn.now() });
    }
  });
}

/** A failed attempt: tried again after `retryInMs`, or failed for good when that is null. */
export async function markAttemptFailed(db: Knex, row: OutboxRow, error: string, retryInMs: number | null): Promise<void> {
  await db('outbox')
    .where({ id: row.id })
    .update(
      retryInMs === null
        ? { status: 'failed', lastError: error.slice(0, 2000) }
        : { lastError: error.slice(0, 2000), nextAttemptAt: db.raw("now() + (? * interval '1 millisecond')", [retryInMs]) },
    );
}
