/**
 * The overview's counts are kept by database triggers as appended +1/−1 entries (so concurrent writers
 * never wait on each other's counts); compaction folds each key's entries into one row so reads stay
 * short. Any reader sees the same sums before and after.
 */
import type { Knex } from 'knex';

/** Folds repeated count entries; answers how many entries were folded (0 if another compaction runs). */
export async function compactOverviewCounts(db: Knex): Promise<number> {
  const { rows } = await db.raw('select overview_compact_counts() as folded');
  return Number(rows[0].folded);
}
