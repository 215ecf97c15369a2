import type { Knex } from 'knex';

/** A list filter's value: one value is `=`, a list is `in` (an empty list matches nothing), absent adds nothing. */
export function whereOneOrMany(qb: Knex.QueryBuilder, column: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    if (value.length) qb.whereIn(column, value);
    else qb.whereRaw('false');
  } else qb.where(column, value as Knex.Value);
}

/** `%text%` for ILIKE with the pattern characters of the user's text escaped. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
