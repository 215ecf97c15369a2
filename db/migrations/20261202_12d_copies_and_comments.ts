import type { Knex } from 'knex';

/**
 * 抄送 and comments (issue 12): a deadline policy may copy roles and users at submission, at the
 * step's approval, or both; each copy is one row per (registration, user, occasion, step, round)
 * with its read time. Comments on a registration, and the files attached to them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.specificType('cc_roles', 'text[]').notNullable().defaultTo('{}');
    t.specificType('cc_user_ids', 'integer[]').notNullable().defaultTo('{}');
    t.string('cc_when', 16);
  });
  await knex.raw(`alter table deadline_policies add constraint deadline_policies_cc_when_check check (cc_when in ('submit', 'approve', 'both'))`);

  await knex.schema.createTable('registration_copies', (t) => {
    t.bigIncrements('id');
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.string('occasion', 16).notNullable(); // submit | approve
    t.string('step', 32).notNullable(); // the step whose policy copied (approve) or 'submit'
    t.integer('round').notNullable();
    t.integer('copied_by').references('users.id');
    t.timestamp('copied_at', { useTz: true }).notNullable();
    t.timestamp('read_at', { useTz: true });
    t.unique(['registration_id', 'user_id', 'occasion', 'step', 'round']);
    t.index(['user_id', 'read_at']);
  });
  await knex.raw(`alter table registration_copies add constraint registration_copies_occasion_check check (occasion in ('submit', 'approve'))`);

  await knex.schema.createTable('registration_comments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('author_id').notNullable().references('users.id');
    t.string('author_name', 200);
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['registration_id', 'created_at']);
  });
  await knex.schema.createTable('registration_comment_files', (t) => {
    t.uuid('comment_id').notNullable().references('registration_comments.id').onDelete('CASCADE');
    t.uuid('file_id').notNullable().references('files.id');
    t.integer('position').notNullable().defaultTo(0);
    t.primary(['comment_id', 'file_id']);
    t.index(['file_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('registration_comment_files');
  await knex.schema.dropTableIfExists('registration_comments');
  await knex.schema.dropTableIfExists('registration_copies');
  await knex.raw('alter table deadline_policies drop constraint if exists deadline_policies_cc_when_check');
  await knex.schema.alterTable('deadline_policies', (t) => {
    t.dropColumn('cc_when');
    t.dropColumn('cc_user_ids');
    t.dropColumn('cc_roles');
  });
}
