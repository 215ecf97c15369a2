import type { Knex } from 'knex';
import { countAllianceFunction, goalsChangedFunction, reviewsChangedFunction, type CountTriggers } from './20261203_district14_overview_counts';

/**
 * The overview's count tables become append-only (issue 14: "deadlock detected" on `update
 * registrations` under concurrent edits). One row per key, upserted by the triggers, meant that a
 * transaction held row locks on shared count rows from its first statement to its commit; a second
 * transaction taking two of the same rows in the other order (one statement moving a status, the next
 * replacing member units) deadlocked. Now each trigger appends its +1/−1 deltas to
 * `<table>_entries`, which no writer ever updates, so writers never wait on each other's counts; a
 * view of the old name sums the entries per key, so readers are unchanged. `overview_compact_counts()`
 * folds each key's entries back into one row (the worker calls it every minute; any reader sees the
 * same sums before and after).
 *
 * The goal and review triggers now lock their registrations (in id order) before reading their
 * alliances' school and status, instead of share-locking the alliance rows: every status write locks
 * the registration row first, so all paths take registration → alliance, never the reverse.
 */
const COUNT_TABLES = [
  { table: 'overview_alliance_counts', keys: 'school_id, status, categories', value: 'alliances' },
  { table: 'overview_party_counts', keys: 'school_id, status, party_type', value: 'alliances' },
  { table: 'overview_goal_counts', keys: 'school_id, status, target_date', value: 'goals' },
  { table: 'overview_review_counts', keys: 'school_id, cycle, outcome', value: 'reviews' },
] as const;

const triggerFunctions = (mode: CountTriggers) => [countAllianceFunction(mode), goalsChangedFunction(mode), reviewsChangedFunction(mode)];

/** Folds the entries of every key with more than one into one row (none for a zero sum), in one statement. */
const foldEntries = ({ table, keys, value }: (typeof COUNT_TABLES)[number], onlyRepeated: boolean) => `
  with repeated as (
    select ${keys} from ${table}_entries group by ${keys} ${onlyRepeated ? 'having count(*) > 1' : ''}
  ), gone as (
    delete from ${table}_entries e using repeated k
     where (${keys.split(', ').map((c) => `e.${c}`).join(', ')}) = (${keys.split(', ').map((c) => `k.${c}`).join(', ')})
    returning ${keys.split(', ').map((c) => `e.${c}`).join(', ')}, e.${value}
  ), folded as (
    insert into ${table}_entries (${keys}, ${value})
    select ${keys}, sum(${value}) from gone group by ${keys} having sum(${value}) <> 0
  )
  select count(*)::int as n from gone`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`lock table overview_alliances, ${COUNT_TABLES.map((t) => t.table).join(', ')} in exclusive mode`);
  for (const { table, keys, value } of COUNT_TABLES) {
    await knex.raw(`alter table ${table} rename to ${table}_entries`);
    await knex.raw(`alter table ${table}_entries drop constraint ${table}_pkey`);
    // Rows are appended and deleted, never updated: no room per page needed for new versions.
    await knex.raw(`alter table ${table}_entries reset (fillfactor)`);
    await knex.raw(`create index ${table}_entries_key on ${table}_entries (${keys})`);
    await knex.raw(`create view ${table} as select ${keys}, sum(${value})::int as ${value} from ${table}_entries group by ${keys} having sum(${value}) <> 0`);
  }
  for (const fn of triggerFunctions('append-only')) await knex.raw(fn);
  // One compaction at a time (a second caller returns at once); the entries it did not see stay.
  await knex.raw(`
    create function overview_compact_counts() returns integer language plpgsql as $$
    declare
      folded integer := 0;
      n integer;
    begin
      if not pg_try_advisory_xact_lock(hashtext('overview_compact_counts')) then return 0; end if;
      ${COUNT_TABLES.map((t) => `${foldEntries(t, true).trim()} into n;\n      folded := folded + n;`).join('\n      ')}
      return folded;
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists overview_compact_counts()');
  await knex.raw(`lock table overview_alliances, ${COUNT_TABLES.map((t) => `${t.table}_entries`).join(', ')} in exclusive mode`);
  for (const t of COUNT_TABLES) {
    await knex.raw(`drop view ${t.table}`);
    await knex.raw(foldEntries(t, false));
    await knex.raw(`drop index ${t.table}_entries_key`);
    await knex.raw(`alter table ${t.table}_entries rename to ${t.table}`);
    await knex.raw(`alter table ${t.table} add primary key (${t.keys})`);
    await knex.raw(`alter table ${t.table} set (fillfactor = 50)`);
  }
  for (const fn of triggerFunctions('row-per-key')) await knex.raw(fn);
}
