import type { Knex } from 'knex';

/**
 * One row per deadline-policy change: the version number registration workflows compare against,
 * the policy as changed, and the progress of carrying it to the registrations in flight.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('policy_versions', (t) => {
    t.bigIncrements('id').primary(); // the version
    t.text('step').notNullable();
    t.jsonb('policy').notNullable();
    t.text('status').notNullable().defaultTo('propagating'); // propagating | done | abandoned
    t.integer('total').notNullable().defaultTo(0);
    t.integer('moved').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.text('cursor');
    t.text('workflow_id').notNullable();
    t.integer('created_by').references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('policy_versions');
}
