import type { Knex } from 'knex';

/**
 * The audit chain split into streams: one per registration (`registration:<id>`), and the global
 * one (null) for everything else and for every event written before this change. Each event links
 * to the previous event of its own stream, so appending locks that stream only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.text('stream');
  });
  await knex.raw('create index audit_events_stream_idx on audit_events (stream, id) where stream is not null');
  await knex.raw('create index audit_events_global_idx on audit_events (id) where stream is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists audit_events_global_idx');
  await knex.raw('drop index if exists audit_events_stream_idx');
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropColumn('stream');
  });
}
