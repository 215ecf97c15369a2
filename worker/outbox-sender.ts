/**
 * Delivers the outbox: polls for due rows, sends each, marks it sent; a failed attempt is retried
 * with exponential backoff up to `maxAttempts`, then marked failed with its last error. Runs in the
 * worker process beside the Temporal worker but apart from it: no activity ever waits on SMTP.
 */
import type { Db } from '../db/connection';
import { claimDue, markAttemptFailed, markSent, type OutboxRow } from '../domain/outbox/repository';
import type { Logger } from '../platform/logger';
import type { Mailer } from './mailer';
import { periodicJob } from './periodic';

export interface OutboxSenderOptions {
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** Delay before the 2nd attempt; doubles each time up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed row stays invisible to other senders while it is being delivered. */
  leaseMs?: number;
}

export const DEFAULT_OUTBOX_OPTIONS: Required<OutboxSenderOptions> = {
  pollMs: 1_000,
  batchSize: 20,
  maxAttempts: 10,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  leaseMs: 2 * 60_000,
};

/** The wait before attempt `attempts + 1`. */
export const backoffMs = (attempts: number, o: Pick<Required<OutboxSenderOptions>, 'baseDelayMs' | 'maxDelayMs'>) =>
  Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));

export interface OutboxSender {
  /** Delivers what is due now; answers how many rows it handled. */
  drainOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the delivery in progress. */
  stop(): Promise<void>;
}

export function createOutboxSender(deps: { db: Db; mailer: Mailer; logger: Logger }, options: OutboxSenderOptions = {}): OutboxSender {
  const o = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
  const deliver = async (row: OutboxRow) => {
    try {
      if (row.kind !== 'email') throw new Error(`unknown outbox kind ${row.kind}`);
      await deps.mailer.send({ to: row.payload.to, subject: row.payload.subject, text: row.payload.text, id: `outbox-${row.id}` });
      await markSent(deps.db, row);
    } catch (err) {
      const giveUp = row.attempts >= o.maxAttempts;
      const message = err instanceof Error ? err.message : String(err);
      await markAttemptFailed(deps.db, row, message, giveUp ? null : backoffMs(row.attempts, o));
      deps.logger[giveUp ? 'error' : 'warn']({ outboxId: row.id, attempts: row.attempts, err: message }, giveUp ? 'outbox delivery failed for good' : 'outbox delivery failed; will retry');
    }
  };

  const drainOnce = async () => {
    const rows = await claimDue(deps.db, { limit: o.batchSize, leaseMs: o.leaseMs });
    for (const row of rows) await deliver(row);
    return rows.length;
  };

  // A full batch means more may be due: keep going before sleeping.
  const job = periodicJob('outbox delivery', o.pollMs, async (stopped) => {
    while (!stopped() && (await drainOnce()) === o.batchSize);
  }, deps.logger);
  return { drainOnce, start: job.start, stop: job.stop };
}
