/**
 * The overview reads counts the database keeps as registrations, member units, goals and reviews
 * are written. Whatever the mix of writes — drafts made and edited through the API, statuses moved,
 * a draft deleted, goals re-dated, reviews opened, rated and removed, many of them at once — its
 * numbers must equal a direct count over the rows themselves.
 */
import type { Actor } from '../../api/middleware/auth';
import { STRESSED_CATEGORIES } from '../../api/usecases/overview';
import { compactOverviewCounts } from '../../domain/overview/counts';
import { addDays, todayIn } from '../../domain/registrations/dates';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createDistrict, createSchool, createUser, validRegistrationBody, type SchoolRow } from '../support/fixtures';

let sys: TestSystem;
let bureau: Actor;
let admin: Actor;
let schools: SchoolRow[];
const as = (a: Actor) => tokenFor(sys.config, a);
const PARTY_SETS = [
  ['government', 'family', 'community', 'department.education'],
  ['department.public_security', 'community', 'family'],
  ['family'],
  ['social_resource.university', 'government'],
  ['department.health', 'department.education', 'community'],
];
const STATUSES = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval', 'active', 'goal_review', 'rectification', 'closed', 'rejected', 'withdrawn'];

function unit(partyType: string, i: number) {
  return { name: `${partyType}-单位${i}`, partyType, contactPerson: '联系人', phone: '13800000000', role: '协同育人', profile: '简介' };
}
function body(parties: string[], goalDays: number[]) {
  const today = todayIn();
  return validRegistrationBody({
    formedOn: addDays(today, -60),
    memberUnits: parties.map(unit),
    goals: goalDays.map((d, i) => ({ title: `目标${i}`, measures: '措施', indicator: '指标', targetDate: addDays(today, d) })),
  });
}

/** The overview's figures counted straight from registrations, member units, goals and reviews. */
async function directCount(districtId: number | null) {
  const db = sys.db;
  const scope = districtId == null ? '' : `and s.district_id = ${Number(districtId)}`;
  const today = todayIn();
  const byStatus = await db.raw(`select r.status, count(*)::int as count from registrations r join schools s on s.id = r.school_id where true ${scope} group by 1 order by 1`);
  const coverage = await db.raw(
    `select m.party_type, count(distinct r.id)::int as alliances from registrations r join schools s on s.id = r.school_id join member_units m on m.registration_id = r.id
      where r.status not in ('rejected', 'withdrawn') ${scope} group by 1 order by 1`,
  );
  const lacking = await db.raw(
    `select c.category, count(*)::int as alliances from registrations r join schools s on s.id = r.school_id cross join unnest(?::text[]) c(category)
      where r.status not in ('rejected', 'withdrawn') ${scope}
        and not exists (select 1 from member_units m join party_types p on p.code = m.party_type where m.registration_id = r.id and p.category = c.category)
      group by 1`,
    [STRESSED_CATEGORIES.filter((c) => c !== 'school')],
  );
  const goals = await db.raw(
    `select count(*) filter (where g.target_date >= ?::date and g.target_date <= ?::date)::int as due, count(*) filter (where g.target_date < ?::date)::int as past
       from goals g join registrations r on r.id = g.registration_id join schools s on s.id = r.school_id
      where r.status in ('active', 'goal_review', 'rectification') ${scope}`,
    [today, addDays(today, 90), today],
  );
  const reviews = await db.raw(
    `select gr.cycle, coalesce(gr.overall, 'pending') as outcome, count(*)::int as count from goal_reviews gr join registrations r on r.id = gr.registration_id join schools s on s.id = r.school_id
      where true ${scope} group by 1, 2 order by 1, 2`,
  );
  const withAlliance = await db.raw(
    `select count(distinct r.school_id)::int as n from registrations r join schools s on s.id = r.school_id where r.status not in ('rejected', 'withdrawn') ${scope}`,
  );
  return {
    byStatus: byStatus.rows as { status: string; count: number }[],
    coverage: Object.fromEntries((coverage.rows as { party_type: string; alliances: number }[]).map((r) => [r.party_type, r.alliances])),
    lacking: Object.fromEntries((lacking.rows as { category: string; alliances: number }[]).map((r) => [r.category, r.alliances])),
    goals: goals.rows[0] as { due: number; past: number },
    reviews: reviews.rows as { cycle: number; outcome: string; count: number }[],
    schoolsWithAlliance: withAlliance.rows[0].n as number,
  };
}

async function expectOverviewEqualsDirectCount(actor: Actor, districtId: number | null) {
  const res = await api(sys, 'GET', '/api/overview', { token: as(actor) });
  expect(res.status).toBe(200);
  const o = res.body;
  const d = await directCount(districtId);
  const sortByStatus = (xs: { status: string; count: number }[]) => [...xs].sort((a, b) => a.status.localeCompare(b.status));
  expect(sortByStatus(o.alliances.byStatus)).toEqual(sortByStatus(d.byStatus));
  expect(o.alliances.schoolsWithAlliance).toBe(d.schoolsWithAlliance);
  const coverage = Object.fromEntries(o.partyCoverage.byPartyType.filter((p: { alliances: number }) => p.alliances > 0).map((p: { code: string; alliances: number }) => [p.code, p.alliances]));
  expect(coverage).toEqual(d.coverage);
  for (const c of STRESSED_CATEGORIES) {
    const shown = o.partyCoverage.lackingByCategory.find((x: { category: string }) => x.category === c).alliances;
    expect({ category: c, alliances: shown }).toEqual({ category: c, alliances: c === 'school' ? 0 : (d.lacking[c] ?? 0) });
  }
  expect({ dueSoon: o.goals.dueSoon, pastTarget: o.goals.pastTarget }).toEqual({ dueSoon: d.goals.due, pastTarget: d.goals.past });
  expect(o.goals.byMonth.reduce((sum: number, m: { count: number }) => sum + m.count, 0)).toBe(d.goals.due);
  const sortReviews = (xs: { cycle: number; outcome: string; count: number }[]) => [...xs].sort((a, b) => a.cycle - b.cycle || a.outcome.localeCompare(b.outcome));
  expect(sortReviews(o.reviewOutcomes)).toEqual(sortReviews(d.reviews));
  return o;
}

beforeAll(async () => {
  sys = await startSystem({ worker: false, isolatedDatabase: {} });
  const district = await createDistrict(sys.db);
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  admin = await createUser(sys.db, { roles: ['admin'] });
  schools = [await createSchool(sys.db, { districtId: district.id }), await createSchool(sys.db, { districtId: district.id }), await createSchool(sys.db)];
});
afterAll(() => sys.close());

describe('the district overview after a mix of writes', () => {
  test('When drafts are made and edited through the API and their statuses, goals and reviews change, then every overview figure equals a direct count', async () => {
    const staff = await Promise.all(schools.map((s) => createUser(sys.db, { roles: ['school_staff'], schoolId: s.id })));
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await api(sys, 'POST', '/api/registrations', { token: as(staff[i % 3]), body: body(PARTY_SETS[i % PARTY_SETS.length], [-5 + i * 9, 30 + i, 400]) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await expectOverviewEqualsDirectCount(bureau, bureau.districtId!);

    // Edits replace member units and goals (the real write path), one draft is deleted.
    for (const [k, i] of [3, 7, 11].entries()) {
      const current = (await api(sys, 'GET', `/api/registrations/${ids[i]}`, { token: as(staff[i % 3]) })).body;
      const res = await api(sys, 'PUT', `/api/registrations/${ids[i]}`, { token: as(staff[i % 3]), body: { ...body(PARTY_SETS[(i + k + 1) % PARTY_SETS.length], [20 + k, -3]), version: current.version } });
      expect(res.status).toBe(200);
    }
    expect((await api(sys, 'DELETE', `/api/registrations/${ids[14]}`, { token: as(staff[14 % 3]) })).status).toBe(200);
    ids.pop();

    // Statuses as the workflow's activities write them; a goal re-dated; reviews opened, rated, removed.
    for (const [i, id] of ids.entries()) await sys.db('registrations').where({ id }).update({ status: STATUSES[i % STATUSES.length] });
    await sys.db('goals').where({ registrationId: ids[4] }).update({ targetDate: addDays(todayIn(), 2) });
    await sys.db('goalReviews').insert([
      { registrationId: ids[4], cycle: 1, status: 'reporting', openedAt: new Date() },
      { registrationId: ids[5], cycle: 1, status: 'reporting', openedAt: new Date() },
      { registrationId: ids[6], cycle: 1, status: 'reporting', openedAt: new Date() },
      { registrationId: ids[5], cycle: 2, status: 'reporting', openedAt: new Date() },
    ]);
    await sys.db('goalReviews').where({ registrationId: ids[4], cycle: 1 }).update({ status: 'passed', overall: 'pass' });
    await sys.db('goalReviews').where({ registrationId: ids[6] }).update({ status: 'failed', overall: 'fail' });
    await sys.db('goalReviews').where({ registrationId: ids[5], cycle: 2 }).delete();
    // An alliance moved to the other district's school takes its goals and reviews along.
    await sys.db('registrations').where({ id: ids[4] }).update({ schoolId: schools[2].id, status: 'active' });
    await expectOverviewEqualsDirectCount(bureau, bureau.districtId!);
    await expectOverviewEqualsDirectCount(admin, null);

    // Many transactions at once, each moving one alliance's status and replacing its member units
    // (as an edit and the workflow's activities do): none deadlocks, none is lost.
    await Promise.all(
      Array.from({ length: 24 }, (_, k) =>
        sys.db.transaction(async (trx) => {
          const id = ids[k % ids.length];
          await trx('registrations').where({ id }).update({ status: STATUSES[(k * 7) % STATUSES.length] });
          await trx('memberUnits').where({ registrationId: id }).delete();
          await trx('memberUnits').insert(PARTY_SETS[k % PARTY_SETS.length].map((p, i) => ({ registrationId: id, position: i, ...unit(p, i) })));
          await trx('goals').where({ registrationId: id }).update({ targetDate: addDays(todayIn(), (k % 5) * 20 - 10) });
        }),
      ),
    );
    const o = await expectOverviewEqualsDirectCount(bureau, bureau.districtId!);
    expect(o.alliances.total).toBeGreaterThan(0);
    await expectOverviewEqualsDirectCount(admin, null);

    // The worker's compaction folds each key's appended entries into one row; the figures stay.
    const repeatedKeys = async () =>
      Number((await sys.db.raw(`select count(*)::int as n from (select 1 from overview_party_counts_entries group by school_id, status, party_type having count(*) > 1) k`)).rows[0].n);
    expect(await repeatedKeys()).toBeGreaterThan(0);
    expect(await compactOverviewCounts(sys.db)).toBeGreaterThan(0);
    expect(await repeatedKeys()).toBe(0);
    await expectOverviewEqualsDirectCount(bureau, bureau.districtId!);
    await expectOverviewEqualsDirectCount(admin, null);
  });
});
