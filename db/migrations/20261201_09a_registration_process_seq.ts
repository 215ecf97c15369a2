import type { Knex } from 'knex';

/**
 * The number of the workflow's latest status write on each registration. A status write applies
 * only when its number is newer, so a late retry of an older activity never moves status back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table registrations add column if not exists process_seq integer not null default 0');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table registrations drop column if exists process_seq');
}
