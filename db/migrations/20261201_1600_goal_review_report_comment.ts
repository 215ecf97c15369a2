import type { Knex } from 'knex';

/**
 * The lead school's covering note on its goal report (the task's comment), kept on the review so
 * the review page and the printed 周期评估报告 show it beside the bureau's comment; and an index for
 * the review list's status filter.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('goal_reviews', (t) => {
    t.text('report_comment');
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('goal_reviews', (t) => {
    t.dropIndex(['status']);
    t.dropColumn('report_comment');
  });
}
