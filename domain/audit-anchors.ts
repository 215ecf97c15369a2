/**
 * Anchors over the audit streams. A stream's hash chain shows an event edited or removed in its
 * middle, but not its last events removed, nor a whole stream. Every few minutes an anchor records a
 * digest of every stream's head (its last event) up to a settled event id, chained to the anchor
 * before it; the chain check recomputes the heads as it walks and compares them at each anchor.
 */
import type { Knex } from 'knex';
import { sha256, stableStringify } from './audit';

const MOD = 1n << 256n;
const ANCHOR_LOCK = 7_240_002; // one anchor writer at a time

/**
 * A digest of the set of stream heads that follows the heads as they move: the sum, modulo 2^256, of
 * each head's own hash (the global chain is the stream '').
 */
export class HeadsDigest {
  private sum = 0n;
  private readonly heads = new Map<string, bigint>();

  move(stream: string, hash: string): void {
    const before = this.heads.get(stream) ?? 0n;
    const after = BigInt(`0x${sha256(`${stream}\n${hash}`)}`);
    this.sum = (((this.sum - before + after) % MOD) + MOD) % MOD;
    this.heads.set(stream, after);
  }

  get streams(): number {
    return this.heads.size;
  }

  get value(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

export interface AuditAnchorRow {
  id: string;
  at: Date;
  uptoId: string;
  streams: number;
  headsDigest: string;
  prevHash: string | null;
  hash: string;
}

export function auditAnchorHash(a: Omit<AuditAnchorRow, 'hash'>): string {
  return sha256(stableStringify({ id: String(a.id), at: new Date(a.at).toISOString(), uptoId: String(a.uptoId), streams: a.streams, headsDigest: a.headsDigest, prevHash: a.prevHash ?? null }));
}

/**
 * Writes the next anchor over every event older than `settledMs` (a transaction still open may yet
 * commit an event with a lower id; it is covered by the next anchor), or nothing when no new event
 * has settled since the last anchor.
 */
export async function anchorAuditStreams(db: Knex, { settledMs = 5 * 60_000 }: { settledMs?: number } = {}): Promise<AuditAnchorRow | null> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [ANCHOR_LOCK]);
    const last = (await trx('auditAnchors').orderBy('id', 'desc').first()) as AuditAnchorRow | undefined;
    const { rows } = await trx.raw(`select max(id)::text as upto from audit_events where at < now() - (? * interval '1 millisecond')`, [settledMs]);
    const upto = rows[0].upto as string | null;
    if (!upto || (last && BigInt(upto) <= BigInt(last.uptoId))) return null;
    const heads = await trx.raw(
      `select distinct on (coalesce(stream, '')) coalesce(stream, '') as stream, hash from audit_events where id <= ? order by coalesce(stream, ''), id desc`,
      [upto],
    );
    const digest = new HeadsDigest();
    for (const h of heads.rows as { stream: string; hash: string }[]) digest.move(h.stream, h.hash);
    const [{ id }] = (await trx.raw("select nextval(pg_get_serial_sequence('audit_anchors', 'id'))::text as id")).rows;
    const row = { id: String(id), at: new Date(), uptoId: upto, streams: digest.streams, headsDigest: digest.value, prevHash: last?.hash ?? null };
    const hash = auditAnchorHash(row);
    await trx('auditAnchors').insert({ ...row, hash });
    return { ...row, hash };
  });
}

/**
 * The anchors, checked as the chain check walks the events. `chainBroken`: the first anchor whose own
 * link or hash does not match. `check(beforeId)`: compares every anchor over events below `beforeId`
 * with the heads walked so far; `finish()`: the anchors left. Each answers the first anchor that differs.
 */
export async function anchorChecker(db: Knex, digest: HeadsDigest) {
  const anchors = ((await db('auditAnchors').orderBy('id')) as AuditAnchorRow[]).map((a) => ({ ...a, id: String(a.id), uptoId: String(a.uptoId) }));
  let chainBroken: string | null = null;
  let prevHash: string | null = null;
  for (const a of anchors) {
    if ((a.prevHash ?? null) !== prevHash || auditAnchorHash(a) !== a.hash) {
      chainBroken = a.id;
      break;
    }
    prevHash = a.hash;
  }
  let next = 0;
  const check = (beforeId: bigint): string | null => {
    for (; next < anchors.length && BigInt(anchors[next].uptoId) < beforeId; next++) {
      const a = anchors[next];
      if (a.headsDigest !== digest.value || a.streams !== digest.streams) return a.id;
    }
    return null;
  };
  return { chainBroken, check, finish: () => check(1n << 63n) };
}
