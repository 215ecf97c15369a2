import type { Db } from '../connection';
import { CATALOG } from './catalog-data';

export { CATALOG, PARTY_CATEGORIES, type CatalogPartyType, type PartyCategory } from './catalog-data';

/** Stable code of the n-th duty (1-based) of a party type, e.g. `school.3`. */
export const dutyCode = (partyTypeCode: string, n: number) => `${partyTypeCode}.${n}`;

/**
 * Upserts every party type and duty from the catalog data (idempotent: run at every start).
 * Text follows the document; a duty the catalog no longer lists is removed.
 */
export async function seedCatalog(db: Db): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('partyTypes')
      .insert(CATALOG.map((p, i) => ({ code: p.code, category: p.category, nameZh: p.nameZh, nameEn: p.nameEn, sortOrder: (i + 1) * 10 })))
      .onConflict('code')
      .merge(['category', 'nameZh', 'nameEn', 'sortOrder']);
    const duties = CATALOG.flatMap((p) => p.duties.map((text, i) => ({ code: dutyCode(p.code, i + 1), partyTypeCode: p.code, seq: i + 1, textZh: text })));
    await trx('partyDuties').insert(duties).onConflict('code').merge(['partyTypeCode', 'seq', 'textZh']);
    await trx('partyDuties')
      .whereIn('partyTypeCode', CATALOG.map((p) => p.code))
      .whereNotIn('code', duties.map((d) => d.code))
      .delete();
  });
}
