import type { Knex } from 'knex';

/**
 * Periodic anchors over the audit streams (issue 9). Each registration's events chain to each other,
 * so an edited or removed event in the middle of a stream breaks its successor's link; but the last
 * events of a stream, or a whole stream, could be removed without a trace. An anchor records, for
 * every event up to `upto_id`, a digest of all streams' heads (each stream's last event then), and
 * anchors chain to each other: removing a stream's tail or a whole stream changes a head an anchor
 * has recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_anchors', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('upto_id').notNullable();
    t.integer('streams').notNullable();
    t.string('heads_digest', 64).notNullable();
    t.string('prev_hash', 64);
    t.string('hash', 64).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_anchors');
}
