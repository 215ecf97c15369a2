/**
 * The inbox at province scale: `GET /api/tasks` over 1,000,000 tasks (2,000 schools, 20 districts),
 * under concurrent load (autocannon), beside the very same SQL sent through `pg` directly at the
 * same concurrency on the same database (the load generator runs in a process of its own) — the limit the API can at best reach.
 *
 *   npx tsx bench/inbox.ts [tasks=1000000] [requests=400] [concurrency=4]
 *
 * The data is made server-side in a few statements (INSERT … SELECT generate_series), not row by row.
 */
import pg from 'pg';
import { createUser } from '../tests/support/fixtures';
import { tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { loadFromChild } from './load';
import { record, summary, type Figure } from './record';

const N_DISTRICTS = 20;
const N_SCHOOLS = 2000;
const TASKS_PER_REGISTRATION = 4;

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const nTasks = Number(process.argv[2] ?? 1_000_000);
  const requests = Number(process.argv[3] ?? 400);
  const concurrency = Number(process.argv[4] ?? 4);
  const db = sys.db;

  const t0 = Date.now();
  await db.raw(`insert into districts (code, name) select 'BD' || g, '基准区' || g from generate_series(1, ${N_DISTRICTS}) g`);
  await db.raw(`
    insert into schools (district_id, code, name)
    select d.ids[1 + (g % ${N_DISTRICTS})], 'BS' || g, '基准学校' || g
    from generate_series(1, ${N_SCHOOLS}) g, (select array_agg(id order by id) ids from districts where code like 'BD%') d`);
  const nRegs = Math.ceil(nTasks / TASKS_PER_REGISTRATION);
  await db.raw(`
    insert into registrations (school_id, name, legal_representative, formed_on, status)
    select s.ids[1 + (g % ${N_SCHOOLS})], '第' || g || '号家校社教联体', '王校长', date '2026-09-01', 'active'
    from generate_series(1, ${nRegs}) g, (select array_agg(id order by id) ids from schools where code like 'BS%') s`);
  // Four steps per registration; about one task in 17 still open (≈ 59,000 of 1,000,000), due
  // between five days ago and twenty days ahead; one in ten without a due time.
  await db.raw(`
    insert into tasks (registration_id, step, round, assignee_role, school_id, district_id, due_at, overdue, status, outcome, completed_at, created_at, updated_at)
    select r.id, st.step, 1, st.role, r.school_id, sc.district_id,
           case when (r.n * 7 + st.k) % 10 = 0 then null else now() + ((((r.n * 4 + st.k) * 7919) % 36000) / 1440.0 - 5) * interval '1 day' end,
           false,
           case when (r.n * 4 + st.k) % 17 = 0 then 'open' else 'done' end,
           case when (r.n * 4 + st.k) % 17 = 0 then null else 'approved' end,
           case when (r.n * 4 + st.k) % 17 = 0 then null else now() end,
           now() - interval '30 days', now()
    from (select id, school_id, row_number() over () n from registrations) r
    join schools sc on sc.id = r.school_id
    cross join (values (0, 'lead_school_opinion', 'lead_school_leader'), (1, 'principal_signature', 'principal'),
                       (2, 'bureau_approval', 'bureau_approver'), (3, 'goal_report', 'school_staff')) st(k, step, role)
    where r.n * 4 + st.k < ${nTasks} + 4`);
  await db.raw(`update tasks set overdue = true where status = 'open' and due_at < now()`);
  // A table at steady state has been autovacuumed (Postgres vacuums after inserts too): the
  // visibility map is set, so a count or a page can be read from an index alone, as in production.
  await db.raw('vacuum analyze');
  const counts = (await db.raw(`select count(*)::int total, count(*) filter (where status = 'open')::int open from tasks`)).rows[0];
  const fillMs = Date.now() - t0;
  console.log(`filled ${counts.total} tasks (${counts.open} open) in ${fillMs} ms`);

  const district = await db('districts').where('code', 'BD1').first('id');
  const school = await db('schools').where('code', 'BS21').first('id', 'districtId');
  const bureau = await createUser(db, { roles: ['bureau_approver'], districtId: district.id });
  const principal = await createUser(db, { roles: ['principal'], schoolId: school.id });
  const q = (filter: object, range: [number, number]) =>
    `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=${encodeURIComponent('["dueAt","ASC"]')}&range=${encodeURIComponent(JSON.stringify(range))}`;
  const scenarios = [
    { name: 'bureau district inbox', token: tokenFor(sys.config, bureau), path: q({ mine: true }, [0, 24]) },
    { name: 'principal school inbox', token: tokenFor(sys.config, principal), path: q({ mine: true }, [0, 24]) },
    { name: 'bureau overdue filter', token: tokenFor(sys.config, bureau), path: q({ overdue: true }, [0, 24]) },
    { name: 'bureau deep page [5000,5024]', token: tokenFor(sys.config, bureau), path: q({}, [5000, 5024]) },
  ];

  const sqlPool = new pg.Pool({ connectionString: sys.databaseUrl, max: concurrency });
  const figures: Figure[] = [];
  const detail: Record<string, unknown> = { tasks: counts.total, open: counts.open, fillMs, requests, concurrency };
  for (const s of scenarios) {
    // The SQL one request sends, captured from the query builder, replayed through pg below.
    const captured: { sql: string; bindings: unknown[] }[] = [];
    const onQuery = (data: { sql: string; bindings?: unknown[] }) => {
      if (/"tasks"/.test(data.sql)) captured.push({ sql: data.sql, bindings: data.bindings ?? [] });
    };
    db.on('query', onQuery);
    const probe = await fetch(sys.baseUrl + s.path, { headers: { authorization: `Bearer ${s.token}` } });
    db.off('query', onQuery);
    if (probe.status !== 200) throw new Error(`${s.name}: ${probe.status} ${await probe.text()}`);
    const contentRange = probe.headers.get('content-range');
    const rows = ((await probe.json()) as unknown[]).length;

    const apiTimes = await loadFromChild({ url: sys.baseUrl + s.path, connections: concurrency, amount: requests, headers: { authorization: `Bearer ${s.token}` } });

    const sqlTimes: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < requests) {
          const t = performance.now();
          for (const c of captured) await sqlPool.query(c.sql, c.bindings);
          sqlTimes.push(performance.now() - t);
        }
      }),
    );
    const a = summary(apiTimes);
    const b = summary(sqlTimes);
    console.log(`${s.name}: API p50 ${a.p50.toFixed(1)} p95 ${a.p95.toFixed(1)} p99 ${a.p99.toFixed(1)} | SQL p50 ${b.p50.toFixed(1)} p95 ${b.p95.toFixed(1)} p99 ${b.p99.toFixed(1)} (${rows} rows, ${contentRange}, ${captured.length} queries)`);
    for (const p of ['p50', 'p95', 'p99'] as const) {
      figures.push({ what: `inbox ${s.name} ${p}`, value: a[p], unit: 'ms', limit: b[p], target: p === 'p95' ? '≤ 2× SQL and < 20 ms' : undefined });
    }
    detail[s.name] = { api: a, sql: b, contentRange, rows, queries: captured.map((c) => c.sql) };
  }
  await sqlPool.end();
  record('inbox', figures, detail);
});
