import type { Knex } from 'knex';

/** Deadline policies may also count working hours (09:00–18:00 China time on working days): still exactly one due unit. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.integer('due_working_hours');
  });
  await knex.raw('alter table deadline_policies drop constraint deadline_policies_one_due_unit');
  await knex.raw(`alter table deadline_policies add constraint deadline_policies_one_due_unit check (
    (case when due_seconds is not null then 1 else 0 end) + (case when due_working_days is not null then 1 else 0 end)
    + (case when due_working_hours is not null then 1 else 0 end) + (case when due_months is not null then 1 else 0 end) = 1)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('update deadline_policies set due_seconds = due_working_hours * 3600, due_working_hours = null where due_working_hours is not null');
  await knex.raw('alter table deadline_policies drop constraint deadline_policies_one_due_unit');
  await knex.raw(`alter table deadline_policies add constraint deadline_policies_one_due_unit check (
    (case when due_seconds is not null then 1 else 0 end) + (case when due_working_days is not null then 1 else 0 end) + (case when due_months is not null then 1 else 0 end) = 1)`);
  await knex.schema.alterTable('deadline_policies', (t) => t.dropColumn('due_working_hours'));
}
