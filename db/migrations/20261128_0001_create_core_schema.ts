import type { Knex } from 'knex';

/**
 * The whole domain in one first migration: schools and users, the responsibility catalog,
 * registrations with their member units and goals, the inbox (tasks), deadline policies,
 * low-code form fields, files, signatures, notifications, idempotency keys and the audit chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pgcrypto');

  await knex.schema.createTable('districts', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 100).notNullable();
  });

  await knex.schema.createTable('schools', (t) => {
    t.increments('id');
    t.integer('district_id').notNullable().references('districts.id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 200).notNullable().unique();
    t.string('legal_representative', 100);
    t.string('address', 300);
    t.uuid('stamp_file_id');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 200).notNullable();
    t.string('name', 100).notNullable();
    t.specificType('roles', 'text[]').notNullable();
    t.integer('school_id').references('schools.id');
    t.integer('district_id').references('districts.id');
    t.string('email', 200);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
  });

  // Responsibility catalog (part one of the policy): one row per party type, one per duty.
  await knex.schema.createTable('party_types', (t) => {
    t.string('code', 64).primary();
    t.string('category', 32).notNullable(); // government | department | school | family | community | social_resource
    t.string('name_zh', 200).notNullable();
    t.string('name_en', 200).notNullable();
    t.integer('sort_order').notNullable();
  });
  await knex.schema.createTable('party_duties', (t) => {
    t.string('code', 80).primary();
    t.string('party_type_code', 64).notNullable().references('party_types.code').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.text('text_zh').notNullable();
    t.unique(['party_type_code', 'seq']);
  });

  await knex.schema.createTable('files', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('kind', 32).notNullable(); // stamp | signature | evidence
    t.string('sha256', 64).notNullable();
    t.string('media_type', 64).notNullable();
    t.integer('size').notNullable();
    t.integer('width');
    t.integer('height');
    t.string('original_name', 255);
    t.binary('content').notNullable();
    t.integer('school_id').references('schools.id');
    t.integer('uploaded_by').references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('schools', (t) => t.foreign('stamp_file_id').references('files.id'));

  await knex.schema.createTable('registrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.integer('school_id').notNullable().references('schools.id');
    t.string('name', 200).notNullable();
    t.string('legal_representative', 100).notNullable();
    t.date('formed_on').notNullable();
    t.jsonb('member_schools').notNullable().defaultTo('[]');
    t.text('introduction').notNullable().defaultTo('');
    t.text('lead_school_opinion');
    t.text('remarks');
    t.jsonb('extra').notNullable().defaultTo('{}');
    t.string('status', 32).notNullable().defaultTo('draft');
    t.string('current_step', 32);
    t.integer('version').notNullable().defaultTo(1);
    t.uuid('signature_id');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('approved_at', { useTz: true });
    t.timestamp('review_due_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.integer('created_by').references('users.id');
    t.timestamps(true, true);
    t.index(['school_id', 'status']);
    t.index(['status']);
  });

  await knex.schema.createTable('member_units', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('name', 200).notNullable();
    t.string('party_type', 64).notNullable().references('party_types.code');
    t.string('contact_person', 100);
    t.string('phone', 40);
    t.string('role', 200);
    t.text('profile');
    t.unique(['registration_id', 'name']);
  });

  await knex.schema.createTable('goals', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('title', 300).notNullable();
    t.text('measures');
    t.text('indicator');
    t.date('target_date');
    t.index(['registration_id']);
  });

  await knex.schema.createTable('signatures', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.integer('signer_id').notNullable().references('users.id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('content_hash', 64).notNullable();
    t.uuid('stamp_file_id').notNullable().references('files.id');
    t.uuid('signature_file_id').notNullable().references('files.id');
    t.jsonb('payload').notNullable(); // the exact signed statement
    t.text('server_signature').notNullable(); // Ed25519 over the canonical payload, base64
    t.timestamp('signed_at', { useTz: true }).notNullable();
    t.timestamp('voided_at', { useTz: true });
    t.string('void_reason', 200);
    t.index(['registration_id']);
  });
  await knex.schema.alterTable('registrations', (t) => t.foreign('signature_id').references('signatures.id'));

  await knex.schema.createTable('deadline_policies', (t) => {
    t.increments('id');
    t.string('step', 32).notNullable().unique(); // a task step, or review_period / rectification_period
    t.integer('due_seconds').notNullable();
    t.integer('remind_before_seconds').notNullable().defaultTo(0);
    t.string('escalate_to_role', 32);
    t.integer('updated_by').references('users.id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('form_fields', (t) => {
    t.increments('id');
    t.string('key', 64).notNullable().unique();
    t.string('label_zh', 200).notNullable();
    t.string('label_en', 200).notNullable();
    t.string('type', 16).notNullable(); // text | textarea | number | date | select | boolean
    t.boolean('required').notNullable().defaultTo(false);
    t.jsonb('options').notNullable().defaultTo('[]');
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
  });

  // The inbox: one row per open or finished human step, projected by the workflow's activities.
  await knex.schema.createTable('tasks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.string('step', 32).notNullable();
    t.integer('round').notNullable(); // which pass through the chain (returns start a new round)
    t.string('assignee_role', 32).notNullable();
    t.integer('school_id').references('schools.id');
    t.integer('district_id').references('districts.id');
    t.integer('claimed_by').references('users.id');
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('due_at', { useTz: true });
    t.timestamp('remind_at', { useTz: true });
    t.timestamp('reminded_at', { useTz: true });
    t.boolean('overdue').notNullable().defaultTo(false);
    t.timestamp('escalated_at', { useTz: true });
    t.string('status', 16).notNullable().defaultTo('open');
    t.string('outcome', 32);
    t.text('comment');
    t.integer('completed_by').references('users.id');
    t.timestamp('completed_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['registration_id', 'step', 'round']); // a retried activity never duplicates a task
    t.index(['status', 'assignee_role', 'due_at']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.string('dedupe_key', 200).notNullable().unique();
    t.string('kind', 32).notNullable(); // task_assigned | reminder | overdue | escalation | decision
    t.string('recipient_role', 32);
    t.integer('recipient_user_id').references('users.id');
    t.integer('school_id').references('schools.id');
    t.uuid('registration_id').references('registrations.id').onDelete('CASCADE');
    t.uuid('task_id').references('tasks.id').onDelete('CASCADE');
    t.string('title', 300).notNullable();
    t.text('body');
    t.timestamp('read_at', { useTz: true });
    t.timestamp('emailed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('key', 200).notNullable();
    t.integer('user_id').notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status_code');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'key']);
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Hash-chained audit log: each row stores the previous row's hash.
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('actor_id');
    t.string('actor_name', 100);
    t.string('action', 64).notNullable();
    t.uuid('registration_id');
    t.string('before_hash', 64);
    t.string('after_hash', 64);
    t.jsonb('details').notNullable().defaultTo('{}');
    t.string('dedupe_key', 200).unique();
    t.string('prev_hash', 64);
    t.string('hash', 64).notNullable();
    t.index(['registration_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_events', 'refresh_tokens', 'idempotency_keys', 'notifications', 'tasks', 'form_fields',
    'deadline_policies',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('registrations', (t) => t.dropForeign('signature_id'));
  for (const table of ['signatures', 'goals', 'member_units', 'registrations']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('schools', (t) => t.dropForeign('stamp_file_id'));
  for (const table of ['files', 'party_duties', 'party_types', 'users', 'schools', 'districts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
