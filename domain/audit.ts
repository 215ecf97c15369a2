import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface AuditEventInput {
  action: string;
  actorId?: number | null;
  actorName?: string | null;
  registrationId?: string | null;
  beforeHash?: string | null;
  afterHash?: string | null;
  details?: Record<string, unknown>;
  /** Set by activities so that a retried one never writes the same event twice. */
  dedupeKey?: string | null;
}

export interface AuditEventRow extends Required<Omit<AuditEventInput, 'details'>> {
  id: string;
  at: Date;
  details: Record<string, unknown>;
  prevHash: string | null;
  hash: string;
}

/** Stable JSON: keys sorted at every depth, so the same value always hashes the same. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** What an event's hash covers: every recorded field plus the previous event's hash. */
export function auditEventHash(e: {
  id: string | number;
  at: Date | string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  registrationId: string | null;
  beforeHash: string | null;
  afterHash: string | null;
  details: Record<string, unknown>;
  prevHash: string | null;
}): string {
  return sha256(
    stableStringify({
      id: String(e.id),
      at: new Date(e.at).toISOString(),
      actorId: e.actorId ?? null,
      actorName: e.actorName ?? null,
      action: e.action,
      registrationId: e.registrationId ?? null,
      beforeHash: e.beforeHash ?? null,
      afterHash: e.afterHash ?? null,
      details: e.details ?? {},
      prevHash: e.prevHash ?? null,
    }),
  );
}

const AUDIT_LOCK = 7_240_001; // advisory lock id: one writer extends the chain at a time

/**
 * Appends one event to the hash chain, inside the caller's transaction when given one.
 * With a dedupeKey, a second append of the same event returns the first and writes nothing.
 */
export async function appendAuditEvent(db: Knex | Knex.Transaction, input: AuditEventInput): Promise<AuditEventRow> {
  const run = async (trx: Knex.Transaction) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [AUDIT_LOCK]);
    if (input.dedupeKey) {
      const existing = await trx('auditEvents').where({ dedupeKey: input.dedupeKey }).first();
      if (existing) return existing as AuditEventRow;
    }
    const prev = await trx('auditEvents').select('hash').orderBy('id', 'desc').first();
    const [{ id }] = await trx.raw("select nextval(pg_get_serial_sequence('audit_events', 'id')) as id").then((r: { rows: { id: string }[] }) => r.rows);
    // Microsecond precision survives the round trip through timestamptz; milliseconds are what JS keeps.
    const at = new Date(Math.floor(Date.now()));
    const row = {
      id: String(id),
      at,
      actorId: input.actorId ?? null,
      actorName: input.actorName ?? null,
      action: input.action,
      registrationId: input.registrationId ?? null,
      beforeHash: input.beforeHash ?? null,
      afterHash: input.afterHash ?? null,
      details: input.details ?? {},
      dedupeKey: input.dedupeKey ?? null,
      prevHash: (prev?.hash as string | undefined) ?? null,
    };
    const hash = auditEventHash(row);
    await trx('auditEvents').insert({ ...row, details: JSON.stringify(row.details), hash });
    return { ...row, hash } as AuditEventRow;
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Knex.Transaction) : (db as Knex).transaction(run);
}

/** Walks the chain in order; answers the first event whose stored hash or link does not match. */
export async function verifyAuditChain(db: Knex): Promise<{ ok: boolean; checked: number; firstBrokenId: string | null; reason?: string }> {
  let prevHash: string | null = null;
  let checked = 0;
  let lastId = '0';
  for (;;) {
    const rows = (await db('auditEvents').where('id', '>', lastId).orderBy('id').limit(1000)) as (AuditEventRow & { id: string })[];
    if (rows.length === 0) break;
    for (const row of rows) {
      if ((row.prevHash ?? null) !== prevHash) return { ok: false, checked, firstBrokenId: String(row.id), reason: 'prev_hash' };
      if (auditEventHash(row) !== row.hash) return { ok: false, checked, firstBrokenId: String(row.id), reason: 'hash' };
      prevHash = row.hash;
      checked++;
      lastId = String(row.id);
    }
  }
  return { ok: true, checked, firstBrokenId: null };
}
