import type { Knex } from 'knex';

/**
 * Login throttling counts recent failed logins (audit events) per username and per address;
 * these partial indexes keep that count cheap however long the audit chain grows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index audit_events_login_by_username on audit_events ((details->>'username'), at)
     where action in ('auth.login_failed', 'auth.login')`,
  );
  await knex.raw(
    `create index audit_events_login_failed_by_ip on audit_events ((details->>'ip'), at)
     where action = 'auth.login_failed'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists audit_events_login_failed_by_ip');
  await knex.raw('drop index if exists audit_events_login_by_username');
}
