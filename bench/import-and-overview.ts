/**
 * District operations at a district's scale, on real Postgres through the real API:
 *
 *   npx tsx bench/import-and-overview.ts [schools=2000] [users=10000] [registrations=100000]
 *
 * 1. Imports `schools` schools and then `users` users from .xlsx files (preview, then the real import),
 *    and imports the users file a second time (nothing changes).
 * 2. Fills `registrations` registrations across those schools (three member units, one goal each,
 *    some overdue tasks and goal reviews), then times GET /api/overview for the district's bureau
 *    (p50/p95) and streams the full registrations export, noting the API process's peak RSS growth.
 */
import ExcelJS from 'exceljs';
import { compactOverviewCounts } from '../domain/overview/counts';
import { createDistrict, createUser } from '../tests/support/fixtures';
import { api, tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { record, summary, type Figure } from './record';

const STATUSES = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval', 'active', 'active', 'goal_review', 'rectification', 'closed', 'rejected'];
const PARTY_SETS = [
  ['government', 'family', 'community'],
  ['department.public_security', 'family', 'social_resource.university'],
  ['department.education', 'community', 'family'],
  ['social_resource.sports_venue', 'family', 'government'],
];

async function xlsx(headers: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Sheet1');
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(baseUrl: string, path: string, token: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'import.xlsx');
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { counts: Record<string, number> };
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return { ms: performance.now() - t0, counts: body.counts };
}

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const nSchools = Number(process.argv[2] ?? 2000);
  const nUsers = Number(process.argv[3] ?? 10_000);
  const nRegistrations = Number(process.argv[4] ?? 100_000);
  const district = await createDistrict(sys.db);
  const admin = await createUser(sys.db, { roles: ['admin'] });
  const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  const adminToken = tokenFor(sys.config, admin);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

  // --- imports ---------------------------------------------------------------------------------
  const schoolsFile = await xlsx(
    ['学校代码', '学校名称', '所属区', '法人代表', '地址'],
    Array.from({ length: nSchools }, (_, i) => [`B${String(i).padStart(5, '0')}`, `基准第${i}学校`, district.code, '王校长', `基准路${i}号`]),
  );
  const roles = ['学校经办人', '牵头学校负责人', '校长', '学校经办人、牵头学校负责人'];
  const usersFile = await xlsx(
    ['用户名', '姓名', '角色', '学校代码', '所属区', '邮箱', '初始密码'],
    Array.from({ length: nUsers }, (_, i) => [`bench.user${i}`, `教师${i}`, roles[i % roles.length], `B${String(i % nSchools).padStart(5, '0')}`, '', `u${i}@bench.example.cn`, '']),
  );
  console.log(`files: schools ${(schoolsFile.length / 1024).toFixed(0)} KB, users ${(usersFile.length / 1024).toFixed(0)} KB`);
  const s1 = await upload(sys.baseUrl, '/api/imports/schools?dryRun=true', adminToken, schoolsFile);
  const s2 = await upload(sys.baseUrl, '/api/imports/schools', adminToken, schoolsFile);
  const u1 = await upload(sys.baseUrl, '/api/imports/users?dryRun=true', adminToken, usersFile);
  const u2 = await upload(sys.baseUrl, '/api/imports/users', adminToken, usersFile);
  const u3 = await upload(sys.baseUrl, '/api/imports/users', adminToken, usersFile);
  console.log(`import ${nSchools} schools: preview ${fmt(s1.ms)}, import ${fmt(s2.ms)} ${JSON.stringify(s2.counts)}`);
  console.log(`import ${nUsers} users:   preview ${fmt(u1.ms)}, import ${fmt(u2.ms)} ${JSON.stringify(u2.counts)}`);
  console.log(`re-import users:          ${fmt(u3.ms)} ${JSON.stringify(u3.counts)}`);
  console.log(`schools + users imported (real imports only): ${fmt(s2.ms + u2.ms)}`);

  // --- fill ------------------------------------------------------------------------------------
  const schoolIds = (await sys.db('schools').where({ districtId: district.id }).orderBy('id').pluck('id')) as number[];
  const fillStart = Date.now();
  for (let offset = 0; offset < nRegistrations; offset += 1000) {
    const rows = Array.from({ length: Math.min(1000, nRegistrations - offset) }, (_, j) => {
      const i = offset + j;
      return { schoolId: schoolIds[i % schoolIds.length], name: `基准教联体${i}`, legalRepresentative: '王校长', formedOn: '2026-09-01', introduction: '基准', status: STATUSES[i % STATUSES.length] };
    });
    const inserted = (await sys.db('registrations').insert(rows).returning(['id', 'status', 'schoolId'])) as { id: string; status: string; schoolId: number }[];
    await sys.db('memberUnits').insert(
      inserted.flatMap(({ id }, k) => PARTY_SETS[(offset + k) % PARTY_SETS.length].map((partyType, position) => ({ registrationId: id, position, name: `成员${position}`, partyType }))),
    );
    await sys.db('goals').insert(inserted.map(({ id }, k) => ({ registrationId: id, position: 0, title: '建立家长学校', targetDate: `2027-0${1 + ((offset + k) % 9)}-15` })));
    const inFlight = inserted.filter((r) => ['lead_school_opinion', 'principal_signature', 'bureau_approval'].includes(r.status));
    await sys.db('tasks').insert(
      inFlight.map((r, k) => ({
        registrationId: r.id,
        step: r.status,
        round: 1,
        assigneeRole: r.status === 'bureau_approval' ? 'bureau_approver' : 'principal',
        schoolId: r.schoolId,
        districtId: district.id,
        dueAt: new Date(Date.now() + (k % 2 ? 1 : -1) * 86400_000),
        overdue: k % 2 === 0,
      })),
    );
    const reviewed = inserted.filter((r) => r.status === 'goal_review' || r.status === 'rectification');
    await sys.db('goalReviews').insert(reviewed.map((r, k) => ({ registrationId: r.id, cycle: 1, status: k % 3 ? 'passed' : 'failed', overall: k % 3 ? 'pass' : 'fail', openedAt: new Date() })));
  }
  // After a bulk load, as an operator would.
  await sys.db.raw('vacuum analyze');
  console.log(`filled ${nRegistrations} registrations in ${fmt(Date.now() - fillStart)}`);
  const bureauToken = tokenFor(sys.config, bureau);
  // The overview's counts arrive as appended entries; the worker folds them once a minute. Before
  // that fold, reads sum every entry: the worst case, timed apart.
  const entries = async () => Number((await sys.db.raw('select count(*)::int as n from overview_party_counts_entries')).rows[0].n);
  const unfolded: number[] = [];
  const entriesBefore = await entries();
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    if ((await api(sys, 'GET', '/api/overview', { token: bureauToken })).status !== 200) throw new Error('overview failed');
    if (i >= 2) unfolded.push(performance.now() - t0);
  }
  const compactStart = performance.now();
  await compactOverviewCounts(sys.db);
  const compactMs = performance.now() - compactStart;
  await sys.db.raw('vacuum analyze');
  console.log(`overview before compaction (${entriesBefore} party entries): p50 ${summary(unfolded).p50.toFixed(0)} ms; compaction to ${await entries()} entries took ${fmt(compactMs)}`);

  // --- overview --------------------------------------------------------------------------------
  // Beside each overview call, the cheapest authenticated call (GET /api/auth/me: the token checked
  // against the user's current state, one small read): the floor of any answer on this machine at
  // this moment, measured in the same run.
  const times: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 43; i++) {
    const t0 = performance.now();
    const res = await api(sys, 'GET', '/api/overview', { token: bureauToken });
    const t1 = performance.now();
    const me = await api(sys, 'GET', '/api/auth/me', { token: bureauToken });
    const t2 = performance.now();
    if (res.status !== 200 || me.status !== 200) throw new Error(`overview: ${res.status}, me: ${me.status}`);
    if (i === 0) console.log(`overview answer: ${res.body.alliances.total} alliances, ${res.body.overdueTasks.total} overdue tasks, ${res.body.partyCoverage.schoolsLacking.length} schools lacking listed`);
    if (i < 3) continue; // warm-up
    times.push(t1 - t0);
    floor.push(t2 - t1);
  }
  const ov = summary(times);
  const me = summary(floor);
  console.log(`GET /api/overview at ${nRegistrations} registrations: p50 ${ov.p50.toFixed(0)} ms  p95 ${ov.p95.toFixed(0)} ms (GET /api/auth/me beside it: p50 ${me.p50.toFixed(0)} ms, p95 ${me.p95.toFixed(0)} ms)`);
  const figures: Figure[] = [
    { what: `import ${nSchools} schools + ${nUsers} users, real imports end to end`, value: s2.ms + u2.ms, unit: 'ms', target: '< 30 s' },
    { what: `overview p50 at ${nRegistrations} registrations (limit: GET /api/auth/me, same run)`, value: ov.p50, unit: 'ms', limit: me.p50 },
    { what: `overview p95 at ${nRegistrations} registrations (limit: GET /api/auth/me, same run)`, value: ov.p95, unit: 'ms', limit: me.p95, target: '< 500 ms' },
    { what: `overview p50 before the first compaction (${entriesBefore} party-count entries)`, value: summary(unfolded).p50, unit: 'ms' },
    { what: `compaction of the fill's count entries`, value: compactMs, unit: 'ms' },
  ];

  if (process.env.BENCH_EXPORT === '0') {
    record('import-and-overview', figures, { overview: ov, authMe: me, overviewSamples: times, authMeSamples: floor });
    return;
  }

  // --- export (same process: the API runs in-process, so RSS is the API's) ---------------------
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const res = await fetch(`${sys.baseUrl}/api/registrations/export.xlsx`, { headers: { authorization: `Bearer ${tokenFor(sys.config, bureau)}` } });
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  clearInterval(sampler);
  const exportMs = performance.now() - t0;
  console.log(`export of ${nRegistrations} registrations: ${fmt(exportMs)}, ${(bytes / 1024 / 1024).toFixed(1)} MB, RSS growth at peak ${((peak - rssBefore) / 1024 / 1024).toFixed(0)} MB`);
  figures.push({ what: `export of ${nRegistrations} registrations (.xlsx, streamed)`, value: exportMs, unit: 'ms' });
  record('import-and-overview', figures, { overview: ov, authMe: me, overviewSamples: times, authMeSamples: floor, exportBytes: bytes, exportRssGrowth: peak - rssBefore });
});
