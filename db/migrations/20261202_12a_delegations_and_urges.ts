import type { Knex } from 'knex';

/**
 * Tasks for people (issue 12): delegations while away (委托), the time a task was last urged
 * (催办), and how often an open task may be urged (an administrator's setting beside each
 * step's deadline policy; null = the default of one day).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('delegations', (t) => {
    t.increments('id');
    t.integer('from_user_id').notNullable().references('users.id');
    t.integer('to_user_id').notNullable().references('users.id');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('reason');
    t.integer('created_by').references('users.id');
    t.timestamps(true, true);
    t.index(['from_user_id', 'starts_at']);
    t.index(['to_user_id']);
  });
  await knex.raw('alter table delegations add constraint delegations_window check (ends_at > starts_at)');
  await knex.raw('alter table delegations add constraint delegations_not_self check (from_user_id <> to_user_id)');
  await knex.schema.alterTable('tasks', (t) => {
    t.timestamp('urged_at', { useTz: true });
    t.integer('urge_count').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.integer('urge_interval_seconds');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deadline_policies', (t) => t.dropColumn('urge_interval_seconds'));
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('urge_count');
    t.dropColumn('urged_at');
  });
  await knex.schema.dropTable('delegations');
}
