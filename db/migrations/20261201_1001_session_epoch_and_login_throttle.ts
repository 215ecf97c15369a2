import type { Knex } from 'knex';

/**
 * Immediate revocation: every access token names the user's session epoch, and the API compares it
 * with the row on each request. The trigger bumps the epoch whenever what a token stands for
 * changes (active, roles, school, district, password), whichever code path or console made the
 * change; logout bumps it explicitly.
 *
 * Login throttling: one counter row per account and per address, counted with one atomic upsert,
 * instead of counting audit events (which let parallel guesses all read the same old count).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('session_epoch').notNullable().defaultTo(0);
  });
  await knex.raw(`
    create function users_bump_session_epoch() returns trigger language plpgsql as $$
    begin
      if new.active is distinct from old.active
         or new.roles is distinct from old.roles
         or new.school_id is distinct from old.school_id
         or new.district_id is distinct from old.district_id
         or new.password_hash is distinct from old.password_hash then
        new.session_epoch := old.session_epoch + 1;
      end if;
      return new;
    end $$`);
  await knex.raw(`
    create trigger users_session_epoch before update on users
    for each row execute function users_bump_session_epoch()`);

  await knex.schema.createTable('login_throttle', (t) => {
    t.string('kind', 16).notNullable(); // account | address
    t.string('key', 200).notNullable();
    t.integer('failures').notNullable();
    t.timestamp('last_failure_at', { useTz: true }).notNullable();
    t.primary(['kind', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_throttle');
  await knex.raw('drop trigger if exists users_session_epoch on users');
  await knex.raw('drop function if exists users_bump_session_epoch()');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('session_epoch');
  });
}
