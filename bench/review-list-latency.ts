/**
 * How fast the goal-review calls answer over a district's worth of reviews, on real Postgres:
 *
 *   npx tsx bench/review-list-latency.ts [reviews=5000] [requests=100]
 *
 * Fills a database of its own with registrations across 20 schools of one district, each with two
 * goals, a rated first review (items and its two tasks) and a review due date, then times what the
 * console calls: the review list sorted by due time, the outcome filter, one review, the planning
 * view, and the 周期评估报告 PDF. Reports p50/p95 per call.
 */
import { createDistrict, createSchool, createUser } from '../tests/support/fixtures';
import { api, tokenFor } from '../tests/support/harness';
import { percentile, runScript } from '../tests/support/script';

const OVERALL = ['pass', 'conditional', 'fail'] as const;
const STATUS = { pass: 'passed', conditional: 'conditional', fail: 'failed' } as const;
const DAY = 24 * 3600 * 1000;

runScript({ worker: false, isolatedDatabase: {} }, async (sys) => {
  const n = Number(process.argv[2] ?? 5_000);
  const requests = Number(process.argv[3] ?? 100);
  const district = await createDistrict(sys.db);
  const schools: { id: number }[] = [];
  for (let i = 0; i < 20; i++) schools.push(await createSchool(sys.db, { districtId: district.id }));
  const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  const token = tokenFor(sys.config, bureau);
  const now = Date.now();

  const fillStart = Date.now();
  let someReview = '';
  for (let offset = 0; offset < n; offset += 500) {
    const count = Math.min(500, n - offset);
    const regs = await sys.db('registrations')
      .insert(
        Array.from({ length: count }, (_, j) => {
          const i = offset + j;
          return {
            schoolId: schools[i % schools.length].id,
            name: `第${i}号家校社教联体`,
            legalRepresentative: '王校长',
            formedOn: '2024-09-01',
            status: i % 3 === 2 ? 'rectification' : 'closed',
            approvedAt: new Date(now - 730 * DAY),
            reviewDueAt: new Date(now + (i % 365) * DAY),
          };
        }),
      )
      .returning('id');
    const goals = await sys.db('goals')
      .insert(regs.flatMap(({ id }: { id: string }) => [0, 1].map((position) => ({ registrationId: id, position, title: `目标${position + 1}`, measures: '每学期举办四次讲座' }))))
      .returning(['id', 'registrationId']);
    const reviews = await sys.db('goalReviews')
      .insert(
        regs.map(({ id }: { id: string }, j: number) => {
          const overall = OVERALL[(offset + j) % 3];
          return { registrationId: id, cycle: 1, status: STATUS[overall], overall, openedAt: new Date(now - 30 * DAY), reportedAt: new Date(now - 20 * DAY), ratedAt: new Date(now - (j % 300) * DAY), comment: '评估意见' };
        }),
      )
      .returning(['id', 'registrationId']);
    const reviewOf = new Map(reviews.map((r: { id: string; registrationId: string }) => [r.registrationId, r.id]));
    await sys.db('goalReviewItems').insert(goals.map((g: { id: string; registrationId: string }) => ({ reviewId: reviewOf.get(g.registrationId), goalId: g.id, progress: 'achieved', narrative: '已达成', rating: 'pass' })));
    await sys.db('tasks').insert(
      regs.flatMap(({ id }: { id: string }, j: number) =>
        (['goal_report', 'goal_rating'] as const).map((step, k) => ({
          registrationId: id,
          step,
          round: 1,
          assigneeRole: k ? 'bureau_approver' : 'school_staff',
          schoolId: schools[(offset + j) % schools.length].id,
          districtId: district.id,
          dueAt: new Date(now - (20 - k * 10) * DAY + j * 1000),
          status: 'done',
        })),
      ),
    );
    someReview = reviews[0].id;
  }
  await sys.db.raw('analyze');
  console.log(`filled ${n} reviews in ${Date.now() - fillStart} ms`);

  const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
  const calls: Record<string, [string, number]> = {
    'list sorted by dueAt': [`/api/goal-reviews?sort=${q(['dueAt', 'DESC'])}&range=[0,24]`, requests],
    'list overall=fail': [`/api/goal-reviews?filter=${q({ overall: 'fail' })}&range=[0,24]`, requests],
    'one review': [`/api/goal-reviews/${someReview}`, requests],
    'planning 180 days': ['/api/goal-reviews/planning?days=180', Math.ceil(requests / 5)],
    'report.pdf': [`/api/goal-reviews/${someReview}/report.pdf`, Math.ceil(requests / 10)],
  };
  for (const [name, [path, times]] of Object.entries(calls)) {
    const ms: number[] = [];
    let range = '';
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      const res = await api(sys, 'GET', path, { token });
      ms.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      range = res.headers.get('content-range') ?? '';
    }
    console.log(`${name.padEnd(22)} p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms  (${times} requests${range ? `, ${range}` : ''})`);
  }
});
