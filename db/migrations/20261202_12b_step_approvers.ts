import type { Knex } from 'knex';

/**
 * A step may hold several tasks (会签/或签: one per named approver; 加签: the added approvers): each
 * task of a (registration, step, round) has its own slot, and the unique key includes it (a retried
 * activity still never duplicates a task). Deadline policies name the step's approvers and how
 * many of them must approve.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.integer('slot').notNullable().defaultTo(0);
    // 加签: the task this one was added from, and where (before / after its holder).
    t.uuid('added_for_task_id').references('tasks.id').onDelete('SET NULL');
    t.string('added_position', 8);
    t.text('added_reason');
    t.integer('added_by').references('users.id');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropUnique(['registration_id', 'step', 'round']);
    t.unique(['registration_id', 'step', 'round', 'slot']);
  });
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.string('approver_mode', 8).notNullable().defaultTo('single');
    t.jsonb('approver_user_ids').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.dropColumn('approver_user_ids');
    t.dropColumn('approver_mode');
  });
  await knex('tasks').where('slot', '>', 0).delete();
  await knex.schema.alterTable('tasks', (t) => {
    t.dropUnique(['registration_id', 'step', 'round', 'slot']);
    t.unique(['registration_id', 'step', 'round']);
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('added_by');
    t.dropColumn('added_reason');
    t.dropColumn('added_position');
    t.dropColumn('added_for_task_id');
    t.dropColumn('slot');
  });
}
