/**
 * The district overview: one aggregate answer for bureau leaders (their district) and
 * administrators (everything, or one district with ?districtId=). Every figure is a GROUP BY in
 * Postgres; nothing is listed and counted in JavaScript. Alliances, their parties, goals and reviews
 * are summed from counts the database keeps grouped by school (migration
 * 20261203_district14_overview_counts), so a call reads a few rows per school rather than every
 * registration; only overdue open tasks and the soonest goals are read from their own rows.
 */
import type { Knex } from 'knex';
import { PARTY_CATEGORIES, type PartyCategory } from '../../db/seeds/catalog-data';
import type { Db } from '../../db/connection';
import { todayIn } from '../../domain/registrations/dates';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';

/**
 * The parties the policy stresses. Its title and every section name 家校社协同育人 — school, family
 * and community — led by the government (政府 "统筹领导") with its departments cooperating
 * ("指导各部门协同配合"); social resource units are what the government "调动" (mobilizes) as
 * available. So: every catalog category except social_resource. The lead school itself is the
 * alliance's school party, so `school` is always covered.
 */
export const STRESSED_CATEGORIES: readonly PartyCategory[] = PARTY_CATEGORIES.filter((c) => c !== 'social_resource');

/** What an alliance can lack: the stressed categories other than `school`. */
const CHECKED: readonly PartyCategory[] = STRESSED_CATEGORIES.filter((c) => c !== 'school');

/** Alliances that exist or are being formed: not refused, not withdrawn. */
const NOT_COUNTED = ['rejected', 'withdrawn'];
const IN_CYCLE = ['active', 'goal_review', 'rectification'];
const IN_APPROVAL = ['lead_school_opinion', 'principal_signature', 'bureau_approval'];
export const GOALS_DUE_WITHIN_DAYS = 90;

export interface OverviewScope {
  districtId: number | null;
}

export function overviewScopeOf(actor: Actor, requested: unknown): OverviewScope {
  if (actor.roles.includes('admin')) {
    if (requested === undefined || requested === '') return { districtId: null };
    const n = Number(requested);
    if (!Number.isInteger(n) || n <= 0 || n > 2_147_483_647) {
      throw AppError.badRequest('查询参数有误 / Invalid query parameters', { districtId: '应为区编号 / Must be a district id' });
    }
    return { districtId: n };
  }
  // A bureau approver sees their own district, whatever they ask for.
  return { districtId: actor.districtId ?? -1 };
}

const n = (v: unknown) => Number(v ?? 0);
type R = Record<string, any>;

export async function districtOverview(db: Db, scope: OverviewScope) {
  const inScope = (qb: Knex.QueryBuilder) => (scope.districtId == null ? qb : qb.where('s.districtId', scope.districtId));
  // Alliances already grouped by (school, status, categories present) and by (school, status, party
  // type): kept by the database as registrations and member units are written (see the migration
  // 20261203_district14_overview_counts), so these read a few rows per school instead of every alliance.
  const allianceCounts = () => inScope(db('overviewAllianceCounts as c').join('schools as s', 's.id', 'c.schoolId')).where('c.alliances', '>', 0);
  const countedOnly = (qb: Knex.QueryBuilder) => qb.whereNotIn('c.status', NOT_COUNTED);
  const sumWhere = (alias: string, condition: string, bindings: readonly string[] = []) =>
    db.raw(`coalesce(sum(c.alliances) filter (where ${condition}), 0)::int as ??`, [...bindings, alias]);
  const inList = (xs: readonly string[]) => xs.map(() => '?').join(',');
  const today = todayIn();
  const limit = `(date '${today}' + ${GOALS_DUE_WITHIN_DAYS})`;
  // Goals of alliances in their cycle, by target date (kept the same way); the soonest few are read
  // from the goals themselves in target-date order.
  const goalCounts = () => inScope(db('overviewGoalCounts as c').join('schools as s', 's.id', 'c.schoolId')).whereIn('c.status', IN_CYCLE).where('c.goals', '>', 0);
  const goalsInCycle = () =>
    inScope(db('goals as g').join('overviewAlliances as a', 'a.registrationId', 'g.registrationId').join('schools as s', 's.id', 'a.schoolId')).whereIn('a.status', IN_CYCLE);
  // A task carries its registration's school (written with it when the step opens).
  const overdueOpenTasks = () =>
    inScope(db('tasks as t').join('schools as s', 's.id', 't.schoolId'))
      .where('t.status', 'open')
      .where((w) => w.where('t.overdue', true).orWhere('t.dueAt', '<', db.fn.now()));

  // Aggregate rows, camelized by the db layer: plain records of numbers and names.
  const [byStatus, bySchool, schoolCounts, partyRows, partyTypes, lackingRows, goalRows, goalsByMonth, goalSoonest, overdueRows, reviewRows] =
    (await Promise.all([
      allianceCounts().select('c.status').sum({ count: 'c.alliances' }).groupBy('c.status'),
      allianceCounts()
        .select('s.id as schoolId', 's.name as schoolName')
        .select(
          db.raw('sum(c.alliances)::int as total'),
          sumWhere('active', `c.status in (${inList(IN_CYCLE)})`, IN_CYCLE),
          sumWhere('in_approval', `c.status in (${inList(IN_APPROVAL)})`, IN_APPROVAL),
          sumWhere('draft', "c.status = 'draft'"),
        )
        .groupBy('s.id', 's.name')
        .orderBy([{ column: 'total', order: 'desc' }, { column: 's.name' }])
        .limit(20),
      inScope(db('schools as s'))
        .select(
          db.raw('count(*)::int as schools'),
          db.raw(
            `count(*) filter (where exists (select 1 from overview_alliance_counts c where c.school_id = s.id and c.alliances > 0 and c.status not in (${inList(NOT_COUNTED)})))::int as with_alliance`,
            [...NOT_COUNTED],
          ),
        )
        .first(),
      countedOnly(inScope(db('overviewPartyCounts as c').join('schools as s', 's.id', 'c.schoolId')).where('c.alliances', '>', 0))
        .select('c.partyType')
        .sum({ alliances: 'c.alliances' })
        .groupBy('c.partyType'),
      db('partyTypes').select('code', 'category', 'nameZh', 'nameEn').orderBy('sortOrder'),
      // Per lead school, how many of its alliances lack each stressed category (every school: the
      // district totals and the worst 50 are both taken from this one pass).
      countedOnly(allianceCounts())
        .select(
          's.id as schoolId',
          's.name as schoolName',
          db.raw('sum(c.alliances)::int as alliances'),
          sumWhere('lacks_any', `not (c.categories @> array[${inList(CHECKED)}]::text[])`, CHECKED),
          ...STRESSED_CATEGORIES.map((c) => sumWhere(`lacking_${c}`, 'not (?::text = any(c.categories))', [c])),
        )
        .groupBy('s.id', 's.name'),
      goalCounts()
        .whereRaw(`c.target_date <= ${limit}`)
        .select(
          db.raw(`coalesce(sum(c.goals) filter (where c.target_date >= date '${today}'), 0)::int as due`),
          db.raw(`coalesce(sum(c.goals) filter (where c.target_date < date '${today}'), 0)::int as past`),
        )
        .first(),
      goalCounts()
        .whereRaw(`c.target_date >= date '${today}' and c.target_date <= ${limit}`)
        .select(db.raw("to_char(c.target_date, 'YYYY-MM') as month"))
        .sum({ count: 'c.goals' })
        .groupByRaw('1')
        .orderByRaw('1'),
      goalsInCycle()
        .whereRaw(`g.target_date >= date '${today}' and g.target_date <= ${limit}`)
        .join('registrations as r', 'r.id', 'g.registrationId')
        .select('g.id as goalId', 'g.title', db.raw("to_char(g.target_date, 'YYYY-MM-DD') as target_date"), 'r.id as registrationId', 'r.name as registrationName', 's.name as schoolName')
        .orderBy([{ column: 'g.targetDate' }, { column: 'g.id' }])
        .limit(20),
      // One pass over the overdue open tasks, counted by step and by school; the 20 schools with most.
      db
        .with('o', (w) =>
          w
            .from(overdueOpenTasks().select('t.step', 's.id as schoolId', 's.name as schoolName', db.raw('grouping(t.step) as by_school')).count({ count: '*' }).groupByRaw('grouping sets ((t.step), (s.id, s.name))').as('g'))
            .select('*', db.raw('row_number() over (partition by by_school order by count desc, school_name) as rank')),
        )
        .from('o')
        .where((w) => w.where('bySchool', 0).orWhere('rank', '<=', 20))
        .select('*')
        .orderBy(['bySchool', 'rank']),
      inScope(db('overviewReviewCounts as c').join('schools as s', 's.id', 'c.schoolId'))
        .where('c.reviews', '>', 0)
        .select('c.cycle', 'c.outcome')
        .sum({ count: 'c.reviews' })
        .groupBy('c.cycle', 'c.outcome')
        .orderBy('c.cycle'),
    ])) as [R[], R[], R, R[], R[], R[], R, R[], R[], R[], R[]];
  const overdueByStep = overdueRows.filter((r) => n(r.bySchool) === 0);
  const overdueBySchool = overdueRows.filter((r) => n(r.bySchool) === 1);

  const typeByCode = new Map(partyTypes.map((p) => [p.code, p]));
  const coverage = new Map(partyRows.map((r) => [r.partyType, n(r.alliances)]));
  const lackingKey = (c: string) => `lacking${c[0].toUpperCase()}${c.slice(1)}`;
  const counted = lackingRows.reduce((sum, r) => sum + n(r.alliances), 0);
  const lackingTotal = (c: string) => lackingRows.reduce((sum, r) => sum + n(r[lackingKey(c)]), 0);
  const worst = lackingRows
    .filter((r) => n(r.lacksAny) > 0)
    .sort((a, b) => n(b.lacksAny) - n(a.lacksAny) || String(a.schoolName).localeCompare(String(b.schoolName), 'zh-CN'))
    .slice(0, 50);
  return {
    districtId: scope.districtId,
    generatedAt: new Date().toISOString(),
    alliances: {
      total: byStatus.reduce((sum, r) => sum + n(r.count), 0),
      byStatus: byStatus.map((r) => ({ status: r.status as string, count: n(r.count) })).sort((a, b) => b.count - a.count),
      schools: n(schoolCounts?.schools),
      schoolsWithAlliance: n(schoolCounts?.withAlliance),
      bySchool: bySchool.map((r) => ({ schoolId: r.schoolId, schoolName: r.schoolName, total: n(r.total), active: n(r.active), inApproval: n(r.inApproval), draft: n(r.draft) })),
    },
    partyCoverage: {
      alliances: counted,
      stressedCategories: STRESSED_CATEGORIES,
      byPartyType: partyTypes.map((p) => ({ code: p.code, category: p.category, nameZh: p.nameZh, nameEn: p.nameEn, alliances: coverage.get(p.code) ?? 0 })),
      // The lead school is the school party: never lacking.
      lackingByCategory: STRESSED_CATEGORIES.map((c) => ({ category: c, alliances: c === 'school' ? 0 : lackingTotal(c) })),
      schoolsLacking: worst.map((r) => ({
        schoolId: r.schoolId,
        schoolName: r.schoolName,
        alliances: n(r.alliances),
        lacking: CHECKED.map((c) => ({ category: c, alliances: n(r[lackingKey(c)]) }))
          .filter((x) => x.alliances > 0),
      })),
      unknownPartyTypes: [...coverage.keys()].filter((c) => !typeByCode.has(c)),
    },
    goals: {
      withinDays: GOALS_DUE_WITHIN_DAYS,
      dueSoon: n(goalRows?.due),
      pastTarget: n(goalRows?.past),
      byMonth: goalsByMonth.map((r) => ({ month: r.month as string, count: n(r.count) })),
      soonest: goalSoonest.map((r) => ({ goalId: r.goalId, title: r.title, targetDate: r.targetDate, registrationId: r.registrationId, registrationName: r.registrationName, schoolName: r.schoolName })),
    },
    overdueTasks: {
      total: overdueByStep.reduce((sum, r) => sum + n(r.count), 0),
      byStep: overdueByStep.map((r) => ({ step: r.step as string, count: n(r.count) })),
      bySchool: overdueBySchool.map((r) => ({ schoolId: r.schoolId, schoolName: r.schoolName, count: n(r.count) })),
    },
    reviewOutcomes: reviewRows.map((r) => ({ cycle: n(r.cycle), outcome: r.outcome as string, count: n(r.count) })),
  };
}
export type DistrictOverview = Awaited<ReturnType<typeof districtOverview>>;
