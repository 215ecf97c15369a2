/** The responsibility catalog, read-only: each party type with its duties in document order. */
import { z } from 'zod';
import { PARTY_CATEGORIES } from '../../db/seeds/catalog';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import { fetchPage, type ListQuery, likePattern, oneOrMany, whereOneOrMany } from '../simple-rest';

export const partyTypeSchema = z
  .object({
    id: z.string().meta({ description: 'Same as code', example: 'department.public_security' }),
    code: z.string(),
    category: z.enum(PARTY_CATEGORIES as [string, ...string[]]),
    nameZh: z.string(),
    nameEn: z.string(),
    sortOrder: z.number().int(),
    duties: z.array(z.object({ code: z.string().meta({ example: 'department.public_security.1' }), seq: z.number().int(), textZh: z.string() })),
  })
  .meta({ id: 'PartyType' });
export type PartyType = z.infer<typeof partyTypeSchema>;

export const partyTypeFilterSchema = z.strictObject({
  id: oneOrMany(z.string().max(64)).optional(),
  category: oneOrMany(z.enum(PARTY_CATEGORIES as [string, ...string[]])).optional(),
  q: z.string().trim().max(100).optional(),
});

export const PARTY_TYPE_SORTABLE: Record<string, string> = {
  id: 'code',
  code: 'code',
  category: 'category',
  nameZh: 'nameZh',
  nameEn: 'nameEn',
  sortOrder: 'sortOrder',
};

async function withDuties(db: Db, rows: any[]): Promise<PartyType[]> {
  const duties = rows.length
    ? await db('partyDuties').whereIn('partyTypeCode', rows.map((r) => r.code)).orderBy(['partyTypeCode', 'seq'])
    : [];
  return rows.map((r) => ({
    id: r.code,
    code: r.code,
    category: r.category,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    sortOrder: r.sortOrder,
    duties: duties.filter((d: any) => d.partyTypeCode === r.code).map((d: any) => ({ code: d.code, seq: d.seq, textZh: d.textZh })),
  }));
}

export async function listPartyTypes(db: Db, list: ListQuery<z.output<typeof partyTypeFilterSchema>>) {
  const base = db('partyTypes');
  whereOneOrMany(base, 'code', list.filter.id);
  whereOneOrMany(base, 'category', list.filter.category);
  if (list.filter.q) {
    const pattern = likePattern(list.filter.q);
    base.where((w) => w.whereILike('nameZh', pattern).orWhereILike('nameEn', pattern).orWhereILike('code', pattern));
  }
  const page = await fetchPage<any>(base, list, { sortable: PARTY_TYPE_SORTABLE, tieBreaker: 'code' });
  return { rows: await withDuties(db, page.rows), total: page.total };
}

export async function getPartyType(db: Db, code: string): Promise<PartyType> {
  const row = await db('partyTypes').where({ code }).first();
  if (!row) throw AppError.notFound('参与方类型 / Party type');
  return (await withDuties(db, [row]))[0];
}
