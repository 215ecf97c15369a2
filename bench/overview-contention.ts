/**
 * Concurrent writers against the overview's count triggers (issue 14's "deadlock detected"):
 *
 *   npx tsx bench/overview-contention.ts [rounds=30]
 *
 * Rounds of 24 concurrent transactions, each moving one registration's status, replacing its member
 * units and re-dating its goals (as an edit and the workflow's activities do), first under the
 * row-per-key triggers (the append-only migration rolled back), then under the append-only ones.
 * Counts deadlocks and times the rounds; the limit is the same writes with no overview triggers.
 */
import type { Knex } from 'knex';
import { migrationConfig } from '../db/migrate';
import { createSchool } from '../tests/support/fixtures';
import { runScript } from '../tests/support/script';
import { record, type Figure } from './record';

const APPEND_ONLY = '20261204_0700_overview_counts_append_only';
const STATUSES = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval', 'active', 'goal_review', 'rectification', 'closed', 'rejected', 'withdrawn'];
const PARTY_SETS = [['government', 'family', 'community', 'department.education'], ['department.public_security', 'community', 'family'], ['family'], ['social_resource.university', 'government'], ['department.health', 'department.education', 'community']];
async function rounds(db: Knex, ids: string[], n: number) {
  let committed = 0;
  let deadlocks = 0;
  const t0 = performance.now();
  for (let round = 0; round < n; round++) {
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, k) =>
        db.transaction(async (trx) => {
          const id = ids[(k + round) % ids.length];
          await trx('registrations').where({ id }).update({ status: STATUSES[(k * 7 + round) % STATUSES.length] });
          await trx('memberUnits').where({ registrationId: id }).delete();
          await trx('memberUnits').insert(PARTY_SETS[(k + round) % PARTY_SETS.length].map((partyType, position) => ({ registrationId: id, position, name: `单位${position}`, partyType })));
          await trx('goals').where({ registrationId: id }).update({ targetDate: `2027-0${1 + ((k + round) % 9)}-15` });
        }),
      ),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') committed++;
      else if (String(r.reason).includes('deadlock detected')) deadlocks++;
      else throw r.reason;
    }
  }
  return { committed, deadlocks, ms: performance.now() - t0 };
}

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const n = Number(process.argv[2] ?? 30);
  const db = sys.db;
  const schools = [await createSchool(db), await createSchool(db), await createSchool(db)];
  const ids: string[] = [];
  for (let i = 0; i < 14; i++) {
    const [r] = await db('registrations').insert({ schoolId: schools[i % 3].id, name: `并发${i}`, legalRepresentative: '王校长', formedOn: '2026-09-01', introduction: '基准', status: 'draft' }).returning('id');
    await db('goals').insert([0, 1].map((position) => ({ registrationId: r.id, position, title: '目标', targetDate: '2027-01-01' })));
    ids.push(r.id);
  }
  const triggers = (await db.raw(`select tgname as name, tgrelid::regclass::text as "table" from pg_trigger where not tgisinternal and tgname like '%overview%'`)).rows as { name: string; table: string }[];
  const setTriggers = (on: boolean) => Promise.all(triggers.map((t) => db.raw(`alter table ${t.table} ${on ? 'enable' : 'disable'} trigger ${t.name}`)));

  await setTriggers(false);
  const bare = await rounds(db, ids, n);
  await setTriggers(true);
  await db.migrate.down(migrationConfig);
  const rowPerKey = await rounds(db, ids, n);
  await db.migrate.up(migrationConfig);
  if (!((await db('knex_migrations').pluck('name')) as string[]).includes(APPEND_ONLY)) throw new Error('append-only migration not back');
  const appendOnly = await rounds(db, ids, n);
  const total = n * 24;
  console.log({ bare, rowPerKey, appendOnly });
  const figures: Figure[] = [
    { what: `deadlocks in ${total} concurrent writes, row-per-key counts`, value: rowPerKey.deadlocks, unit: 'tx' },
    { what: `deadlocks in ${total} concurrent writes, append-only counts`, value: appendOnly.deadlocks, unit: 'tx', target: '0' },
    { what: `${n} rounds × 24 writes, row-per-key counts (limit: no triggers)`, value: rowPerKey.ms, unit: 'ms', limit: bare.ms },
    { what: `${n} rounds × 24 writes, append-only counts (limit: no triggers)`, value: appendOnly.ms, unit: 'ms', limit: bare.ms },
  ];
  record('overview-contention', figures, { bare, rowPerKey, appendOnly });
});
