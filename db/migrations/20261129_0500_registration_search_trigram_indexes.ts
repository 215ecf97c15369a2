import type { Knex } from 'knex';

/**
 * The registration list's `q` search is `ILIKE '%text%'` over the alliance name, the lead school's
 * name and the introduction. Trigram GIN indexes serve such patterns (Chinese included) once the
 * tables grow. Where pg_trgm is not installable the search still works, only unindexed.
 */
export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw("select 1 from pg_available_extensions where name = 'pg_trgm'");
  if (rows.length === 0) return;
  await knex.raw('savepoint trgm');
  try {
    await knex.raw('create extension if not exists pg_trgm');
  } catch {
    await knex.raw('rollback to savepoint trgm'); // e.g. no privilege to create extensions
    return;
  }
  await knex.raw('create index registrations_name_trgm on registrations using gin (name gin_trgm_ops)');
  await knex.raw('create index registrations_introduction_trgm on registrations using gin (introduction gin_trgm_ops)');
  await knex.raw('create index schools_name_trgm on schools using gin (name gin_trgm_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists schools_name_trgm');
  await knex.raw('drop index if exists registrations_introduction_trgm');
  await knex.raw('drop index if exists registrations_name_trgm');
}
