/**
 * How fast the bureau's registration list answers over a realistic table, on real Postgres:
 *
 *   npx tsx bench/list-latency.ts [registrations=10000] [requests=200]
 *
 * Fills a database of its own with registrations across 20 schools of one district (each with two
 * member units and a goal), then times the list calls the console makes: a page sorted by update
 * time, a status filter, and the full-text search `q`. Reports p50/p95 per call.
 */
import { createDistrict, createSchool, createUser } from '../tests/support/fixtures';
import { api, tokenFor } from '../tests/support/harness';
import { percentile, runScript } from '../tests/support/script';

const STATUSES = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval', 'active', 'closed'];

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const n = Number(process.argv[2] ?? 10_000);
  const requests = Number(process.argv[3] ?? 200);
  const district = await createDistrict(sys.db);
  const schools: { id: number }[] = [];
  for (let i = 0; i < 20; i++) schools.push(await createSchool(sys.db, { districtId: district.id }));
  const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  const token = tokenFor(sys.config, bureau);

  const fillStart = Date.now();
  for (let offset = 0; offset < n; offset += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - offset) }, (_, j) => {
      const i = offset + j;
      return {
        schoolId: schools[i % schools.length].id,
        name: `第${i}号家校社教联体`,
        legalRepresentative: '王校长',
        formedOn: '2026-09-01',
        introduction: `以学校为核心，联合社区、派出所和图书馆开展家庭教育指导服务。编号${i}。`,
        status: STATUSES[i % STATUSES.length],
      };
    });
    const inserted = await sys.db('registrations').insert(rows).returning('id');
    await sys.db('memberUnits').insert(
      inserted.flatMap(({ id }: { id: string }) => [
        { registrationId: id, position: 0, name: '城东派出所', partyType: 'department.public_security' },
        { registrationId: id, position: 1, name: '幸福社区', partyType: 'community' },
      ]),
    );
    await sys.db('goals').insert(inserted.map(({ id }: { id: string }) => ({ registrationId: id, position: 0, title: '建立家长学校' })));
  }
  await sys.db.raw('analyze');
  console.log(`filled ${n} registrations in ${Date.now() - fillStart} ms`);

  const calls: Record<string, string> = {
    'page sorted by updatedAt': `/api/registrations?sort=${encodeURIComponent('["updatedAt","DESC"]')}&range=[0,24]`,
    'status filter': `/api/registrations?filter=${encodeURIComponent('{"status":"bureau_approval"}')}&range=[0,24]`,
    'search q': `/api/registrations?filter=${encodeURIComponent('{"q":"第4321号"}')}&range=[0,24]`,
  };
  for (const [name, path] of Object.entries(calls)) {
    const times: number[] = [];
    let total = '';
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const res = await api(sys, 'GET', path, { token });
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      total = res.headers.get('content-range') ?? '';
    }
    console.log(`${name.padEnd(26)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  (${total})`);
  }
});
