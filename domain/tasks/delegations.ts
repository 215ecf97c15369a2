/**
 * 委托 (delegation while away): a user's delegate for a time window. Tasks that arrive in the
 * window for the delegator alone go to the delegate, who acts on the delegator's behalf (the task
 * records both). Chains are followed to their end, bounded by MAX_DELEGATION_CHAIN and never
 * cyclic (the API refuses a delegation that would close a cycle or lengthen a chain past the bound).
 */
import type { Knex } from 'knex';
import { MAX_DELEGATION_CHAIN } from '../process/assignees';

type Conn = Knex | Knex.Transaction;

export interface Delegation {
  id: number;
  fromUserId: number;
  fromUserName: string | null;
  toUserId: number;
  toUserName: string | null;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  /** Whether the window covers now. */
  active: boolean;
}

export const DELEGATION_SORTABLE: Record<string, string> = {
  id: 'd.id',
  startsAt: 'd.startsAt',
  endsAt: 'd.endsAt',
  fromUserId: 'd.fromUserId',
  toUserId: 'd.toUserId',
  createdAt: 'd.createdAt',
};

const iso = (d: Date | string) => new Date(d).toISOString();

export function toDelegation(r: Record<string, any>): Delegation {
  const now = Date.now();
  return {
    id: r.id,
    fromUserId: r.fromUserId,
    fromUserName: r.fromUserName ?? null,
    toUserId: r.toUserId,
    toUserName: r.toUserName ?? null,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    reason: r.reason ?? null,
    createdBy: r.createdBy ?? null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    active: new Date(r.startsAt).getTime() <= now && now < new Date(r.endsAt).getTime(),
  };
}

export function delegationsWithNames(db: Conn): Knex.QueryBuilder {
  return db('delegations as d')
    .leftJoin('users as f', 'f.id', 'd.fromUserId')
    .leftJoin('users as t', 't.id', 'd.toUserId')
    .select('d.*', 'f.name as fromUserName', 't.name as toUserName');
}

interface Edge {
  id: number;
  fromUserId: number;
  toUserId: number;
}

/** Delegations whose window overlaps [startsAt, endsAt), except `excludeId` (the one being edited). */
async function overlappingEdges(db: Conn, startsAt: Date, endsAt: Date, excludeId?: number): Promise<Edge[]> {
  const q = db('delegations').where('startsAt', '<', endsAt).where('endsAt', '>', startsAt).select('id', 'fromUserId', 'toUserId');
  if (excludeId !== undefined) q.whereNot('id', excludeId);
  return (await q) as Edge[];
}

export type ChainProblem = { kind: 'cycle'; path: number[] } | { kind: 'too_long'; length: number } | { kind: 'overlap'; id: number };

/**
 * What a delegation from→to over [startsAt, endsAt) would do to the chains: close a cycle
 * (to →…→ from already delegates back), make a chain longer than the bound, or overlap another
 * delegation of the same user (a user has one delegate at a time). Null when none.
 */
export async function delegationChainProblem(db: Conn, d: { fromUserId: number; toUserId: number; startsAt: Date; endsAt: Date }, excludeId?: number): Promise<ChainProblem | null> {
  const edges = await overlappingEdges(db, d.startsAt, d.endsAt, excludeId);
  const sameFrom = edges.find((e) => e.fromUserId === d.fromUserId);
  if (sameFrom) return { kind: 'overlap', id: sameFrom.id };
  const out = new Map<number, number[]>();
  const inc = new Map<number, number[]>();
  for (const e of edges) {
    out.set(e.fromUserId, [...(out.get(e.fromUserId) ?? []), e.toUserId]);
    inc.set(e.toUserId, [...(inc.get(e.toUserId) ?? []), e.fromUserId]);
  }
  // A path to → … → from closes a cycle.
  const seen = new Set<number>();
  const walk = (at: number, path: number[]): number[] | null => {
    if (at === d.fromUserId) return path;
    if (seen.has(at)) return null;
    seen.add(at);
    for (const next of out.get(at) ?? []) {
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  const cycle = walk(d.toUserId, [d.fromUserId, d.toUserId]);
  if (cycle) return { kind: 'cycle', path: cycle };
  // Longest chain through the new link: links into `from` + 1 + links out of `to` (acyclic now).
  const longest = (start: number, graph: Map<number, number[]>, visiting = new Set<number>()): number => {
    if (visiting.has(start)) return 0;
    visiting.add(start);
    let best = 0;
    for (const n of graph.get(start) ?? []) best = Math.max(best, 1 + longest(n, graph, visiting));
    visiting.delete(start);
    return best;
  };
  const length = longest(d.fromUserId, inc) + 1 + longest(d.toUserId, out);
  if (length > MAX_DELEGATION_CHAIN) return { kind: 'too_long', length };
  return null;
}

export interface Routed {
  assigneeUserId: number;
  assigneeName: string;
  onBehalfOf: number | null;
  onBehalfOfName: string | null;
}

/**
 * Where a task arriving at `at` for `user` goes: to the end of the user's delegation chain (each
 * link active at `at`, its delegate an active user), at most MAX_DELEGATION_CHAIN links, never
 * revisiting a user; on behalf of `user` when it moved.
 */
export async function routeThroughDelegations(db: Conn, user: { id: number; name: string }, at: Date): Promise<Routed> {
  let current = user;
  const visited = new Set([user.id]);
  for (let hop = 0; hop < MAX_DELEGATION_CHAIN; hop++) {
    const next = (await db('delegations as d')
      .join('users as u', 'u.id', 'd.toUserId')
      .where('d.fromUserId', current.id)
      .where('d.startsAt', '<=', at)
      .where('d.endsAt', '>', at)
      .where('u.active', true)
      .orderBy('d.startsAt', 'desc')
      .orderBy('d.id', 'desc')
      .first('u.id', 'u.name')) as { id: number; name: string } | undefined;
    if (!next || visited.has(next.id)) break;
    visited.add(next.id);
    current = next;
  }
  return current.id === user.id
    ? { assigneeUserId: user.id, assigneeName: user.name, onBehalfOf: null, onBehalfOfName: null }
    : { assigneeUserId: current.id, assigneeName: current.name, onBehalfOf: user.id, onBehalfOfName: user.name };
}

/** Whether the user has a delegation covering `at` (they are away). */
export async function isAway(db: Conn, userId: number, at: Date): Promise<boolean> {
  const row = await db('delegations').where({ fromUserId: userId }).where('startsAt', '<=', at).where('endsAt', '>', at).first('id');
  return !!row;
}
