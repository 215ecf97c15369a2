import type { Knex } from 'knex';

/**
 * The goal review checkpoint: one row per review cycle of a registration (the first review, and a
 * second one after a failed review's rectification), and one item per goal with the lead school's
 * report and the bureau's rating.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('goal_reviews', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('cycle').notNullable();
    t.string('status', 16).notNullable().defaultTo('reporting'); // reporting | rating | passed | conditional | failed
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.integer('reported_by').references('users.id');
    t.timestamp('reported_at', { useTz: true });
    t.integer('rated_by').references('users.id');
    t.timestamp('rated_at', { useTz: true });
    t.string('overall', 16); // pass | conditional | fail
    t.text('comment');
    t.timestamp('rectification_due_at', { useTz: true });
    t.unique(['registration_id', 'cycle']);
  });
  await knex.schema.createTable('goal_review_items', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('review_id').notNullable().references('goal_reviews.id').onDelete('CASCADE');
    t.uuid('goal_id').notNullable().references('goals.id').onDelete('CASCADE');
    t.string('progress', 16); // achieved | in_progress | not_achieved
    t.text('narrative');
    t.jsonb('evidence_file_ids').notNullable().defaultTo('[]');
    t.string('rating', 16); // pass | conditional | fail
    t.unique(['review_id', 'goal_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('goal_review_items');
  await knex.schema.dropTableIfExists('goal_reviews');
}
