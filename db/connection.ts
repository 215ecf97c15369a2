import knexFactory, { type Knex } from 'knex';

/** A name's translation, kept: every query names the same few hundred columns, on every row it answers. */
function memoized(translate: (s: string) => string): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let t = known.get(s);
    if (t === undefined) {
      t = translate(s);
      if (known.size < 10_000) known.set(s, t);
    }
    return t;
  };
}
const toSnake = memoized((s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const toCamel = memoized((s) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));

function camelizeRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map(camelizeRow);
  if (row && typeof row === 'object' && !(row instanceof Date) && !Buffer.isBuffer(row)) {
    // Only the row's own columns: jsonb values keep the keys they were written with.
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [toCamel(k), v]));
  }
  return row;
}

/** Knex over Postgres; code speaks camelCase, the schema snake_case. */
export function createDb(connectionString: string, pool = { min: 0, max: 10 }): Knex {
  return knexFactory({
    client: 'pg',
    connection: connectionString,
    pool,
    wrapIdentifier: (value, origImpl) => origImpl(value === '*' ? value : toSnake(value)),
    postProcessResponse: (result) => {
      if (Array.isArray(result)) return result.map(camelizeRow);
      if (result && typeof result === 'object' && 'rows' in result) return result; // raw()
      return camelizeRow(result);
    },
  });
}

export type Db = Knex;
