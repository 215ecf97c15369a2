import type { Knex } from 'knex';

/**
 * The district overview's counts, kept by the database as registrations and their member units are
 * written (issue 14). Counting 100,000 alliances' parties on every call took seconds; these tables
 * hold the same numbers already grouped, so the overview reads a few thousand rows.
 *
 * - `overview_alliances`: one row per registration — its school, its status, the distinct party
 *   types of its member units and their catalog categories. Kept by triggers on `registrations`
 *   (insert; update of school or status; a deleted registration's row goes by cascade), on
 *   `member_units` (any change recomputes the affected registrations' sets) and on `party_types`
 *   (a category changed in the catalog).
 * - `overview_alliance_counts` (school, status, categories present) → alliances, and
 *   `overview_party_counts` (school, status, party type) → alliances with at least one such member:
 *   kept from each change of an `overview_alliances` row, as +1/−1 deltas.
 * - `overview_goal_counts` (school, status, target date) → goals, and `overview_review_counts`
 *   (school, cycle, outcome) → reviews: kept by triggers on `goals` and `goal_reviews`, and moved
 *   when an alliance row changes school or status.
 *
 * Nothing here writes a registration's status: the triggers only read what the workflow's
 * activities (and drafters' edits) write, inside the same transaction, so the counts are always
 * exactly those of the committed rows. Concurrent changes of one registration are serialised on its
 * `overview_alliances` row; deltas to shared count rows are applied in key order (no deadlock
 * between two transactions moving alliances between the same keys in opposite directions).
 * Zero rows are left in place (the overview reads `alliances > 0`).
 */
const PARTY_SETS = `
  select coalesce(array_agg(distinct m.party_type::text order by m.party_type::text), '{}') as party_types,
         coalesce(array_agg(distinct p.category::text order by p.category::text) filter (where p.category is not null), '{}') as categories
    from member_units m left join party_types p on p.code = m.party_type
   where m.registration_id = r.id`;

/** A review's outcome as the overview shows it (`pending` until rated). */
const OUTCOME = "coalesce(r.overall::text, 'pending')";

export async function up(knex: Knex): Promise<void> {
  await knex.raw('lock table registrations, member_units, party_types, goals, goal_reviews in share row exclusive mode');

  await knex.raw(`
    create table overview_alliances (
      registration_id uuid primary key references registrations(id) on delete cascade,
      school_id integer not null,
      status varchar(32) not null,
      party_types text[] not null default '{}',
      categories text[] not null default '{}'
    )`);
  await knex.raw('create index overview_alliances_party_types on overview_alliances using gin (party_types)');
  await knex.raw(`
    create table overview_alliance_counts (
      school_id integer not null,
      status varchar(32) not null,
      categories text[] not null,
      alliances integer not null,
      primary key (school_id, status, categories)
    )`);
  await knex.raw(`
    create table overview_party_counts (
      school_id integer not null,
      status varchar(32) not null,
      party_type text not null,
      alliances integer not null,
      primary key (school_id, status, party_type)
    )`);

  await knex.raw(`
    create table overview_goal_counts (
      school_id integer not null,
      status varchar(32) not null,
      target_date date not null,
      goals integer not null,
      primary key (school_id, status, target_date)
    )`);
  await knex.raw(`
    create table overview_review_counts (
      school_id integer not null,
      cycle integer not null,
      outcome text not null,
      reviews integer not null,
      primary key (school_id, cycle, outcome)
    )`);

  // Count rows are updated in place all day: room on each page for the new version (HOT updates,
  // no index change), and vacuumed after a fixed number of changes rather than a share of the table.
  for (const table of ['overview_alliance_counts', 'overview_party_counts', 'overview_goal_counts', 'overview_review_counts']) {
    await knex.raw(`alter table ${table} set (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000)`);
  }

  // Backfill, then the triggers (the tables above are locked against writers meanwhile).
  await knex.raw(`
    insert into overview_alliances (registration_id, school_id, status, party_types, categories)
    select r.id, r.school_id, r.status, s.party_types, s.categories from registrations r cross join lateral (${PARTY_SETS}) s`);
  await knex.raw(`
    insert into overview_alliance_counts (school_id, status, categories, alliances)
    select school_id, status, categories, count(*) from overview_alliances group by 1, 2, 3`);
  await knex.raw(`
    insert into overview_party_counts (school_id, status, party_type, alliances)
    select school_id, status, t, count(*) from overview_alliances, unnest(party_types) t group by 1, 2, 3`);
  await knex.raw(`
    insert into overview_goal_counts (school_id, status, target_date, goals)
    select a.school_id, a.status, g.target_date, count(*) from goals g join overview_alliances a on a.registration_id = g.registration_id
     where g.target_date is not null group by 1, 2, 3`);
  await knex.raw(`
    insert into overview_review_counts (school_id, cycle, outcome, reviews)
    select a.school_id, r.cycle, ${OUTCOME}, count(*) from goal_reviews r join overview_alliances a on a.registration_id = r.registration_id group by 1, 2, 3`);

  // One alliance row's change → deltas on both count tables, in key order.
  await knex.raw(countAllianceFunction('row-per-key'));
  await knex.raw(`create trigger overview_alliances_count after insert or update or delete on overview_alliances for each row execute function overview_count_alliance()`);

  await knex.raw(`
    create function overview_alliance_registered() returns trigger language plpgsql as $$
    begin
      insert into overview_alliances (registration_id, school_id, status) values (new.id, new.school_id, new.status);
      return null;
    end $$`);
  await knex.raw(`create trigger registrations_overview_insert after insert on registrations for each row execute function overview_alliance_registered()`);
  await knex.raw(`
    create function overview_alliance_moved() returns trigger language plpgsql as $$
    begin
      update overview_alliances set school_id = new.school_id, status = new.status where registration_id = new.id;
      return null;
    end $$`);
  await knex.raw(`
    create trigger registrations_overview_update after update of school_id, status on registrations for each row
    when (old.school_id is distinct from new.school_id or old.status is distinct from new.status)
    execute function overview_alliance_moved()`);

  // Member units: recompute the sets of the registrations a statement touched.
  await knex.raw(`
    create function overview_refresh_parties(ids uuid[]) returns void language sql as $$
      update overview_alliances a set party_types = s.party_types, categories = s.categories
        from unnest(ids) as r(id) cross join lateral (${PARTY_SETS}) s
       where a.registration_id = r.id and (a.party_types, a.categories) is distinct from (s.party_types, s.categories)
    $$`);
  await knex.raw(`
    create function overview_member_units_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform overview_refresh_parties(array(select distinct registration_id from new_units order by 1));
      elsif tg_op = 'DELETE' then
        perform overview_refresh_parties(array(select distinct registration_id from old_units order by 1));
      else
        perform overview_refresh_parties(array(select registration_id from new_units union select registration_id from old_units order by 1));
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger member_units_overview_insert after insert on member_units referencing new table as new_units for each statement execute function overview_member_units_changed()`);
  await knex.raw(`create trigger member_units_overview_delete after delete on member_units referencing old table as old_units for each statement execute function overview_member_units_changed()`);
  await knex.raw(`create trigger member_units_overview_update after update on member_units referencing old table as old_units new table as new_units for each statement execute function overview_member_units_changed()`);

  // Goals and reviews: each statement's rows as +1/−1 at their registration's school (and status).
  await knex.raw(goalsChangedFunction('row-per-key'));
  await knex.raw(`create trigger goals_overview_insert after insert on goals referencing new table as new_goals for each statement execute function overview_goals_changed()`);
  await knex.raw(`create trigger goals_overview_delete after delete on goals referencing old table as old_goals for each statement execute function overview_goals_changed()`);
  await knex.raw(`create trigger goals_overview_update after update on goals referencing old table as old_goals new table as new_goals for each statement execute function overview_goals_changed()`);
  await knex.raw(reviewsChangedFunction('row-per-key'));
  await knex.raw(`create trigger goal_reviews_overview_insert after insert on goal_reviews referencing new table as new_reviews for each statement execute function overview_reviews_changed()`);
  await knex.raw(`create trigger goal_reviews_overview_delete after delete on goal_reviews referencing old table as old_reviews for each statement execute function overview_reviews_changed()`);
  await knex.raw(`create trigger goal_reviews_overview_update after update on goal_reviews referencing old table as old_reviews new table as new_reviews for each statement execute function overview_reviews_changed()`);

  // The catalog moves a party type to another category: the alliances that include it.
  await knex.raw(`
    create function overview_party_type_recategorised() returns trigger language plpgsql as $$
    begin
      perform overview_refresh_parties(array(select registration_id from overview_alliances where party_types @> array[new.code::text] order by 1));
      return null;
    end $$`);
  await knex.raw(`
    create trigger party_types_overview_update after update of category on party_types for each row
    when (old.category is distinct from new.category) execute function overview_party_type_recategorised()`);

  // Read directly: overdue open tasks (the open ones by due time), and the soonest goals in target order.
  await knex.raw(`create index tasks_open_overdue_overview on tasks (due_at) include (school_id, step, overdue) where status = 'open'`);
  await knex.raw('create index goals_target_date on goals (target_date, id) include (registration_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists goals_target_date');
  await knex.raw('drop index if exists tasks_open_overdue_overview');
  for (const [trigger, table] of [['goal_reviews_overview_update', 'goal_reviews'], ['goal_reviews_overview_delete', 'goal_reviews'], ['goal_reviews_overview_insert', 'goal_reviews'], ['goals_overview_update', 'goals'], ['goals_overview_delete', 'goals'], ['goals_overview_insert', 'goals']]) {
    await knex.raw(`drop trigger if exists ${trigger} on ${table}`);
  }
  await knex.raw('drop trigger if exists party_types_overview_update on party_types');
  await knex.raw('drop trigger if exists member_units_overview_update on member_units');
  await knex.raw('drop trigger if exists member_units_overview_delete on member_units');
  await knex.raw('drop trigger if exists member_units_overview_insert on member_units');
  await knex.raw('drop trigger if exists registrations_overview_update on registrations');
  await knex.raw('drop trigger if exists registrations_overview_insert on registrations');
  await knex.raw('drop table if exists overview_review_counts, overview_goal_counts, overview_party_counts, overview_alliance_counts, overview_alliances');
  for (const fn of ['overview_reviews_changed()', 'overview_goals_changed()', 'overview_party_type_recategorised()', 'overview_member_units_changed()', 'overview_refresh_parties(uuid[])', 'overview_alliance_moved()', 'overview_alliance_registered()', 'overview_count_alliance()']) {
    await knex.raw(`drop function if exists ${fn}`);
  }
}

/**
 * How the count triggers write. `row-per-key` (this migration): one row per key, upserted, and the
 * goal/review triggers share-lock the alliance rows. Its row locks on shared count rows, taken by
 * several statements of one transaction, could cross between two transactions (deadlock detected).
 * `append-only` (20261204_0700_overview_counts_append_only): deltas are appended to `<table>_entries`
 * and summed on read, so no transaction waits on another's counts; the goal/review triggers lock their
 * registrations (the row every status write locks first), so locks are taken in one order.
 */
export type CountTriggers = 'row-per-key' | 'append-only';

const addTo = (mode: CountTriggers, table: string, keys: string, value: string) =>
  mode === 'row-per-key'
    ? `insert into ${table} as c (${keys}, ${value}) %s on conflict (${keys}) do update set ${value} = c.${value} + excluded.${value};`
    : `insert into ${table}_entries (${keys}, ${value}) %s;`;
const deltas = (mode: CountTriggers, table: string, keys: string, value: string, select: string) => addTo(mode, table, keys, value).replace('%s', select);

const ALLIANCE_KEYS = 'school_id, status, categories';
const PARTY_KEYS = 'school_id, status, party_type';
const GOAL_KEYS = 'school_id, status, target_date';
const REVIEW_KEYS = 'school_id, cycle, outcome';

/** One alliance row's change → deltas on the count tables (in key order). */
export function countAllianceFunction(mode: CountTriggers): string {
  return `
    create or replace function overview_count_alliance() returns trigger language plpgsql as $$
    declare
      o overview_alliances; -- the row before (none for an insert)
      n overview_alliances; -- the row after (none for a delete)
    begin
      if tg_op <> 'INSERT' then o := old; end if;
      if tg_op <> 'DELETE' then n := new; end if;
      if o is not distinct from n then return null; end if;
      ${deltas(mode, 'overview_alliance_counts', ALLIANCE_KEYS, 'alliances', `
      select d.school_id, d.status, d.categories, sum(d.delta) from (
        select o.school_id, o.status, o.categories, -1 where o.registration_id is not null
        union all
        select n.school_id, n.status, n.categories, 1 where n.registration_id is not null
      ) d(school_id, status, categories, delta)
      group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}
      ${deltas(mode, 'overview_party_counts', PARTY_KEYS, 'alliances', `
      select d.school_id, d.status, d.party_type, sum(d.delta) from (
        select o.school_id, o.status, t, -1 from unnest(o.party_types) t where o.registration_id is not null
        union all
        select n.school_id, n.status, t, 1 from unnest(n.party_types) t where n.registration_id is not null
      ) d(school_id, status, party_type, delta)
      group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}
      -- The registration's goals follow its school and status; its reviews follow its school. (A
      -- deleted registration's goals and reviews may go before or after this row in the cascade:
      -- whichever goes second finds nothing left to subtract.)
      if tg_op <> 'INSERT' and (o.school_id, o.status) is distinct from (n.school_id, n.status) then
        ${deltas(mode, 'overview_goal_counts', GOAL_KEYS, 'goals', `
        select d.school_id, d.status, d.target_date, sum(d.delta) from (
          select o.school_id, o.status, g.target_date, -1 from goals g where g.registration_id = o.registration_id and g.target_date is not null
          union all
          select n.school_id, n.status, g.target_date, 1 from goals g where g.registration_id = n.registration_id and g.target_date is not null
        ) d(school_id, status, target_date, delta)
        group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}
      end if;
      if tg_op <> 'INSERT' and o.school_id is distinct from n.school_id then
        ${deltas(mode, 'overview_review_counts', REVIEW_KEYS, 'reviews', `
        select d.school_id, d.cycle, d.outcome, sum(d.delta) from (
          select o.school_id, r.cycle, ${OUTCOME}, -1 from goal_reviews r where r.registration_id = o.registration_id
          union all
          select n.school_id, r.cycle, ${OUTCOME}, 1 from goal_reviews r where r.registration_id = n.registration_id
        ) d(school_id, cycle, outcome, delta)
        group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}
      end if;
      return null;
    end $$`;
}

/**
 * Before a statement's goal or review deltas are read against their alliances' school and status, a
 * concurrent status change must either have committed or wait for this transaction.
 */
const lockBeforeDeltas = (mode: CountTriggers, source: string) =>
  mode === 'row-per-key'
    ? `perform 1 from overview_alliances where registration_id in (select registration_id from (${source}) d) order by registration_id for share;`
    : `perform 1 from registrations where id in (select registration_id from (${source}) d) order by id for no key update;`;

/** A statement's changed rows as deltas, with the transition tables of each operation. */
const perOperation = (name: string, table: (source: string) => string, news: string, olds: string) => `
    create or replace function ${name}() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then ${table(news)}
      elsif tg_op = 'DELETE' then ${table(olds)}
      else ${table(`${news} union all ${olds}`)}
      end if;
      return null;
    end $$`;

export function goalsChangedFunction(mode: CountTriggers): string {
  const goalDeltas = (source: string) => `
    ${lockBeforeDeltas(mode, source)}
    ${deltas(mode, 'overview_goal_counts', GOAL_KEYS, 'goals', `
    select a.school_id, a.status, d.target_date, sum(d.delta) from (${source}) d
      join overview_alliances a on a.registration_id = d.registration_id
     where d.target_date is not null
     group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}`;
  return perOperation(
    'overview_goals_changed',
    goalDeltas,
    'select registration_id, target_date, 1 as delta from new_goals',
    'select registration_id, target_date, -1 as delta from old_goals',
  );
}

export function reviewsChangedFunction(mode: CountTriggers): string {
  const reviewDeltas = (source: string) => `
    ${lockBeforeDeltas(mode, source)}
    ${deltas(mode, 'overview_review_counts', REVIEW_KEYS, 'reviews', `
    select a.school_id, d.cycle, d.outcome, sum(d.delta) from (${source}) d
      join overview_alliances a on a.registration_id = d.registration_id
     group by 1, 2, 3 having sum(d.delta) <> 0 order by 1, 2, 3`)}`;
  return perOperation(
    'overview_reviews_changed',
    reviewDeltas,
    `select registration_id, cycle, ${OUTCOME} as outcome, 1 as delta from new_reviews r`,
    `select registration_id, cycle, ${OUTCOME} as outcome, -1 as delta from old_reviews r`,
  );
}
