import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { anchorChecker, HeadsDigest } from './audit-anchors';

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
  /** The chain this event extends: `registration:<id>`, or null for the global chain. */
  stream: string | null;
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

/**
 * What an event's hash covers: every recorded field plus the previous event's hash (and its
 * stream, for events of a registration's stream; global events hash as they always did).
 */
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
  stream?: string | null;
}): string {
  return sha256(
    stableStringify({
      ...(e.stream ? { stream: e.stream } : {}),
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

const AUDIT_LOCK = 7_240_001; // advisory lock id of the global chain; a registration's stream locks (AUDIT_LOCK, hashtext(stream))

/** Events of a registration chain per registration; everything else extends the global chain. */
export const auditStreamOf = (input: Pick<AuditEventInput, 'registrationId'>): string | null => (input.registrationId ? `registration:${input.registrationId}` : null);

/**
 * Appends one event to its stream's hash chain, inside the caller's transaction when given one.
 * With a dedupeKey, a second append of the same event returns the first and writes nothing.
 * Only writers of the same stream wait for each other (the lock lasts to the end of the caller's
 * transaction, which keeps id order and chain order the same within a stream): a slow
 * transaction about one registration never stalls logins or other registrations.
 */
export async function appendAuditEvent(db: Knex | Knex.Transaction, input: AuditEventInput): Promise<AuditEventRow> {
  const stream = auditStreamOf(input);
  const run = async (trx: Knex.Transaction) => {
    if (stream) await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [AUDIT_LOCK, stream]);
    else await trx.raw('select pg_advisory_xact_lock(?)', [AUDIT_LOCK]);
    if (input.dedupeKey) {
      const existing = await trx('auditEvents').where({ dedupeKey: input.dedupeKey }).first();
      if (existing) return existing as AuditEventRow;
    }
    const prevQuery = trx('auditEvents').select('hash').orderBy('id', 'desc').first();
    const prev = await (stream ? prevQuery.where({ stream }) : prevQuery.whereNull('stream'));
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
      stream,
      prevHash: (prev?.hash as string | undefined) ?? null,
    };
    const hash = auditEventHash(row);
    await trx('auditEvents').insert({ ...row, details: JSON.stringify(row.details), hash });
    return { ...row, hash } as AuditEventRow;
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Knex.Transaction) : (db as Knex).transaction(run);
}

/**
 * Walks every stream's chain in id order; answers the first event whose stored hash or link does not
 * match, or the first anchor whose recorded stream heads the events no longer reach (a stream's last
 * events or a whole stream removed).
 */
export async function verifyAuditChain(
  db: Knex,
): Promise<{ ok: boolean; checked: number; firstBrokenId: string | null; reason?: string; anchorId?: string }> {
  const lastHashOf = new Map<string, string>(); // stream ('' for the global chain) → its last hash so far
  const heads = new HeadsDigest();
  const anchors = await anchorChecker(db, heads);
  const anchorBroken = (anchorId: string | null, checked: number) => (anchorId ? { ok: false, checked, firstBrokenId: null, reason: 'anchor', anchorId } : null);
  if (anchors.chainBroken) return anchorBroken(anchors.chainBroken, 0)!;
  let checked = 0;
  let lastId = '0';
  for (;;) {
    const rows = (await db('auditEvents').where('id', '>', lastId).orderBy('id').limit(1000)) as (AuditEventRow & { id: string })[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const broken = anchorBroken(anchors.check(BigInt(row.id)), checked);
      if (broken) return broken;
      const stream = row.stream ?? '';
      if ((row.prevHash ?? null) !== (lastHashOf.get(stream) ?? null)) return { ok: false, checked, firstBrokenId: String(row.id), reason: 'prev_hash' };
      if (auditEventHash(row) !== row.hash) return { ok: false, checked, firstBrokenId: String(row.id), reason: 'hash' };
      // A registration's events always carry its stream: one moved to another chain breaks here.
      if (row.stream && row.stream !== auditStreamOf(row)) return { ok: false, checked, firstBrokenId: String(row.id), reason: 'stream' };
      lastHashOf.set(stream, row.hash);
      heads.move(stream, row.hash);
      checked++;
      lastId = String(row.id);
    }
  }
  return anchorBroken(anchors.finish(), checked) ?? { ok: true, checked, firstBrokenId: null };
}
