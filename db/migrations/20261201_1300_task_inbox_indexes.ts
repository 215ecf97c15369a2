import type { Knex } from 'knex';

/**
 * The inbox at province scale (issue 13). Every inbox query is scoped to one school or one district
 * and sorted `due_at is null, due_at, id`; these indexes hand out rows already in that order, so a
 * page reads 25 index entries instead of sorting the scope. Partial ones for the open tasks (the
 * "mine" queue) and the overdue ones keep those small; the full ones serve history and deep pages
 * (and the exact count over a scope, index-only).
 */
const SORT = '(due_at is null), due_at, id';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index tasks_district_due on tasks (district_id, ${SORT})`);
  await knex.raw(`create index tasks_school_due on tasks (school_id, ${SORT})`);
  await knex.raw(`create index tasks_open_district_due on tasks (district_id, ${SORT}) where status = 'open'`);
  await knex.raw(`create index tasks_open_school_due on tasks (school_id, ${SORT}) where status = 'open'`);
  await knex.raw(`create index tasks_overdue_district_due on tasks (district_id, ${SORT}) where overdue`);
  await knex.raw(`create index tasks_overdue_school_due on tasks (school_id, ${SORT}) where overdue`);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['tasks_overdue_school_due', 'tasks_overdue_district_due', 'tasks_open_school_due', 'tasks_open_district_due', 'tasks_school_due', 'tasks_district_due']) {
    await knex.raw(`drop index if exists ${name}`);
  }
}
