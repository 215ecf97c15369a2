import type { Knex } from 'knex';

/**
 * Working-day deadlines and times in the user's zone:
 * - `calendar_days`: the administrators' overrides of China's official calendar (a date made a
 *   workday or a holiday, with its name);
 * - deadline policies may count working days (`due_working_days`, `remind_before_working_days`)
 *   or, for the review and rectification periods, calendar months (`due_months`) instead of
 *   seconds: `due_seconds` becomes optional, and exactly one due unit is set;
 * - `users.time_zone`: the zone times are shown in (Asia/Shanghai by default).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_days', (t) => {
    t.increments('id');
    t.date('date').notNullable().unique();
    t.string('kind', 16).notNullable();
    t.string('name', 100).notNullable().defaultTo('');
    t.integer('updated_by').references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("alter table calendar_days add constraint calendar_days_kind check (kind in ('workday', 'holiday'))");

  await knex.schema.alterTable('deadline_policies', (t) => {
    t.integer('due_working_days');
    t.integer('remind_before_working_days');
    t.integer('due_months');
  });
  await knex.raw('alter table deadline_policies alter column due_seconds drop not null');
  await knex.raw(`alter table deadline_policies add constraint deadline_policies_one_due_unit check (
    (case when due_seconds is not null then 1 else 0 end) + (case when due_working_days is not null then 1 else 0 end) + (case when due_months is not null then 1 else 0 end) = 1)`);

  await knex.schema.alterTable('users', (t) => {
    t.string('time_zone', 64).notNullable().defaultTo('Asia/Shanghai');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('time_zone'));
  await knex.raw('alter table deadline_policies drop constraint deadline_policies_one_due_unit');
  await knex.raw('update deadline_policies set due_seconds = coalesce(due_seconds, due_working_days * 86400, due_months * 2592000)');
  await knex.raw('alter table deadline_policies alter column due_seconds set not null');
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.dropColumn('due_months');
    t.dropColumn('remind_before_working_days');
    t.dropColumn('due_working_days');
  });
  await knex.schema.dropTableIfExists('calendar_days');
}
