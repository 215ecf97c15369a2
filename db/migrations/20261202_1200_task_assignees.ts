import type { Knex } from 'knex';

/**
 * Tasks for people, not only roles (转交, 委托, 会签/或签, 加签): a task may name its assignee; when
 * it was routed to a delegate, `on_behalf_of` names the user the delegate stands in for, and the
 * completed task keeps both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.integer('assignee_user_id').references('users.id');
    t.integer('on_behalf_of').references('users.id');
    t.index(['assignee_user_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['assignee_user_id', 'status']);
    t.dropColumn('on_behalf_of');
    t.dropColumn('assignee_user_id');
  });
}
