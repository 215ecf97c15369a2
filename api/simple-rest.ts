/**
 * The ra-data-simple-rest list contract, shared by every list route:
 *   GET /api/<resource>?sort=["field","ASC"]&range=[0,24]&filter={...}
 * answers a JSON array with `Content-Range: <resource> 0-24/319`.
 * getMany sends only filter={"id":[...]} (no range), so an absent range means "the first MAX_PAGE rows".
 */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { validate } from '../domain/validation';
import { AppError } from './errors';
import { findProblem, INT4_MAX } from './middleware/hostile-input';

export const MAX_PAGE = 1000;

export type SortOrder = 'asc' | 'desc';

export interface ListQuery<F = Record<string, unknown>> {
  sort: { field: string; order: SortOrder };
  /** Inclusive bounds, as react-admin sends them. */
  range: { start: number; end: number };
  filter: F;
}

export interface ListOptions<S extends z.ZodType> {
  /** API field name → SQL column (camelCase is fine: the db layer snake-cases identifiers). */
  sortable: Record<string, string>;
  defaultSort: [string, 'ASC' | 'DESC'];
  /** zod schema of the filter object; unknown keys should be rejected (z.strictObject). */
  filter: S;
  maxPage?: number;
}

function parseJsonParam(req: Request, name: string): unknown {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw badParam(name, '参数只能出现一次 / Give this parameter once');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badParam(name, '不是有效的 JSON / Not valid JSON');
  }
  // JSON escapes (\u0000, \ud800) and ids beyond a database integer, refused like any other input.
  const problem = findProblem(value, [name]);
  if (problem) throw badParam(problem[0], problem[1]);
  return value;
}

const OUT_OF_RANGE = `超出范围（最大 ${INT4_MAX}）/ Out of range (at most ${INT4_MAX})`;

/** Integers in a filter go to integer columns: the first one beyond a Postgres integer, as a dotted path. */
function integerOutOfRange(value: unknown, path: string[], idKey: boolean): string | null {
  const big = (n: number) => !Number.isSafeInteger(n) || Math.abs(n) > INT4_MAX;
  if (typeof value === 'number') return Number.isInteger(value) && big(value) ? path.join('.') : null;
  if (typeof value === 'string') return idKey && /^[+-]?\d+$/.test(value.trim()) && big(Number(value)) ? path.join('.') : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = integerOutOfRange(value[i], [...path, String(i)], idKey);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = integerOutOfRange(v, [...path, k], /^(id|ids)$|Ids?$/.test(k));
      if (hit) return hit;
    }
  }
  return null;
}

function badParam(name: string, message: string) {
  return AppError.badRequest('查询参数有误 / Invalid query parameters', { [name]: message });
}

const sortSchema = z.tuple([z.string().min(1), z.string().transform((s) => s.toUpperCase()).pipe(z.enum(['ASC', 'DESC']))]);
const rangeSchema = z
  .tuple([z.number().int().min(0).max(INT4_MAX), z.number().int().min(0).max(INT4_MAX)])
  .refine(([a, b]) => b >= a, '范围结束不能小于开始 / Range end must not be before its start');

/** Reads and validates sort, range and filter; bad values answer 400 with field errors. */
export function parseListQuery<S extends z.ZodType>(req: Request, opts: ListOptions<S>): ListQuery<z.output<S>> {
  const maxPage = opts.maxPage ?? MAX_PAGE;

  const rawSort = parseJsonParam(req, 'sort') ?? opts.defaultSort;
  const sort = sortSchema.safeParse(rawSort);
  if (!sort.success) throw badParam('sort', '排序应为 ["字段","ASC|DESC"] / Sort must be ["field","ASC|DESC"]');
  const [field, order] = sort.data;
  // Own keys only: `in` would accept __proto__, constructor, valueOf… from Object.prototype.
  if (!Object.hasOwn(opts.sortable, field)) {
    throw badParam('sort', `不能按 ${field} 排序 / Cannot sort by ${field}; use one of ${Object.keys(opts.sortable).join(', ')}`);
  }

  const rawRange = parseJsonParam(req, 'range');
  let range = { start: 0, end: maxPage - 1 };
  if (rawRange !== undefined) {
    const r = rangeSchema.safeParse(rawRange);
    if (!r.success) throw badParam('range', '范围应为 [开始,结束] / Range must be [start,end] integers');
    const [start, end] = r.data;
    if (end - start + 1 > maxPage) throw badParam('range', `每页最多 ${maxPage} 条 / At most ${maxPage} rows per page`);
    range = { start, end };
  }

  const rawFilter = parseJsonParam(req, 'filter') ?? {};
  const rawTooBig = integerOutOfRange(rawFilter, ['filter'], false);
  if (rawTooBig) throw badParam(rawTooBig, OUT_OF_RANGE);
  const filter = validate(opts.filter, rawFilter);
  if (!filter.success) {
    const errors = Object.fromEntries(Object.entries(filter.errors).map(([k, v]) => [k === '_root' ? 'filter' : `filter.${k}`, v]));
    throw AppError.badRequest('查询参数有误 / Invalid query parameters', errors);
  }

  const tooBig = integerOutOfRange(filter.data, ['filter'], false);
  if (tooBig) throw badParam(tooBig, OUT_OF_RANGE);

  return { sort: { field, order: order === 'ASC' ? 'asc' : 'desc' }, range, filter: filter.data };
}

/**
 * Runs a filtered base query twice: once for the total, once for the page (sorted, with the
 * primary key as tie-breaker so pages never overlap). The base query must not be ordered or limited.
 */
export async function fetchPage<T>(
  base: Knex.QueryBuilder,
  list: ListQuery<unknown>,
  opts: { sortable: Record<string, string>; tieBreaker: string; select?: (qb: Knex.QueryBuilder) => Knex.QueryBuilder },
): Promise<{ rows: T[]; total: number }> {
  const countRow = (await base.clone().clearSelect().clearOrder().count({ total: '*' }).first()) as { total: string | number } | undefined;
  const total = Number(countRow?.total ?? 0);
  let page = base
    .clone()
    .orderBy(opts.sortable[list.sort.field], list.sort.order)
    .orderBy(opts.tieBreaker, list.sort.order)
    .offset(list.range.start)
    .limit(list.range.end - list.range.start + 1);
  if (opts.select) page = opts.select(page);
  const rows = (await page) as T[];
  return { rows, total };
}

// `Content-Range: <resource> <start>-<end>/<total>`; an empty page says `<resource> */<total>`.
export function contentRange(resource: string, start: number, count: number, total: number): string {
  return count > 0 ? `${resource} ${start}-${start + count - 1}/${total}` : `${resource} */${total}`;
}

export function sendList(res: Response, resource: string, list: ListQuery<unknown>, page: { rows: unknown[]; total: number }) {
  res.setHeader('Content-Range', contentRange(resource, list.range.start, page.rows.length, page.total));
  res.setHeader('X-Total-Count', String(page.total));
  res.json(page.rows);
}

// --- filter building blocks ---------------------------------------------------------------------

/** One value or a list of values (react-admin's getMany sends {"id":[...]}). */
export const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(MAX_PAGE)]);

/** `column = value` or `column in (values)`. An empty list matches nothing, as getMany([]) expects. */
export function whereOneOrMany(qb: Knex.QueryBuilder, column: string, value: unknown): Knex.QueryBuilder {
  if (value === undefined) return qb;
  if (Array.isArray(value)) return value.length ? qb.whereIn(column, value) : qb.whereRaw('false');
  return qb.where(column, value as Knex.Value);
}

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
