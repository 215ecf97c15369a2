import type { Knex } from 'knex';

/**
 * The outbox: side effects (e-mail) written in the same transaction as the decision that causes
 * them, and delivered afterwards by a sender with bounded retries, so a decision never waits on
 * an SMTP server. The operator page reads these columns.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id').primary();
    t.text('kind').notNullable(); // email | notification
    t.jsonb('payload').notNullable();
    t.text('status').notNullable().defaultTo('pending'); // pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
  });
  await knex.raw("alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed'))");
  // The sender's poll: due pending rows in order.
  await knex.raw("create index outbox_due_idx on outbox (next_attempt_at, id) where status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('outbox');
}
