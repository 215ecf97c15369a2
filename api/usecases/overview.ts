/**
 * The district overview: one aggregate answer for bureau leaders (their district) and
 * administrators (everything, or one district with ?districtId=). Every figure is a GROUP BY in
 * Postgres; nothing is listed and counted in JavaScript, so it stays fast at 100,000 registrations.
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
const LACKS_ANY = `count(*) filter (where not (${CHECKED.map((c) => `has_${c}`).join(' and ')}))`;

/** Alliances that exist or are being formed: not refused, not withdrawn. */
const COUNTED = "r.status not in ('rejected', 'withdrawn')";
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
  const registrations = () => inScope(db('registrations as r').join('schools as s', 's.id', 'r.schoolId'));
  // Per alliance, which stressed categories its member units include.
  const allianceParties = () =>
    db
      .with('a', (w) =>
        inScope(w.from('registrations as r').join('schools as s', 's.id', 'r.schoolId'))
          .leftJoin('memberUnits as m', 'm.registrationId', 'r.id')
          .leftJoin('partyTypes as p', 'p.code', 'm.partyType')
          .whereRaw(COUNTED)
          .select('r.id', 'r.schoolId', ...STRESSED_CATEGORIES.map((c) => db.raw(`coalesce(bool_or(p.category = ?), false) as ??`, [c, `has_${c}`])))
          .groupBy('r.id', 'r.schoolId'),
      )
      .from('a');
  const today = todayIn();
  const limit = `(date '${today}' + ${GOALS_DUE_WITHIN_DAYS})`;

  // Aggregate rows, camelized by the db layer: plain records of numbers and names.
  const [byStatus, bySchool, schoolCounts, partyRows, partyTypes, lackingRows, goalRows, goalsByMonth, goalSoonest, overdueByStep, overdueBySchool, reviewRows] =
    (await Promise.all([
      registrations().select('r.status').count({ count: '*' }).groupBy('r.status'),
      registrations()
        .select('s.id as schoolId', 's.name as schoolName')
        .count({ total: '*' })
        .select(
          db.raw(`count(*) filter (where r.status in (${IN_CYCLE.map(() => '?').join(',')}))::int as active`, IN_CYCLE),
          db.raw(`count(*) filter (where r.status in (${IN_APPROVAL.map(() => '?').join(',')}))::int as in_approval`, IN_APPROVAL),
          db.raw("count(*) filter (where r.status = 'draft')::int as draft"),
        )
        .groupBy('s.id', 's.name')
        .orderBy([{ column: 'total', order: 'desc' }, { column: 's.name' }])
        .limit(20),
      inScope(db('schools as s'))
        .select(db.raw('count(*)::int as schools'), db.raw(`count(*) filter (where exists (select 1 from registrations r where r.school_id = s.id and ${COUNTED}))::int as with_alliance`))
        .first(),
      // Distinct (alliance, party type) pairs, then counted: a hash aggregate, not a sort per party type.
      db
        .from(registrations().join('memberUnits as m', 'm.registrationId', 'r.id').whereRaw(COUNTED).distinct('r.id', 'm.partyType').as('pairs'))
        .select('pairs.partyType')
        .count({ alliances: '*' })
        .groupBy('pairs.partyType'),
      db('partyTypes').select('code', 'category', 'nameZh', 'nameEn').orderBy('sortOrder'),
      // Per lead school, how many of its alliances lack each stressed category (every school: the
      // district totals and the worst 50 are both taken from this one pass).
      allianceParties()
        .join('schools as s', 's.id', 'a.schoolId')
        .select(
          's.id as schoolId',
          's.name as schoolName',
          db.raw('count(*)::int as alliances'),
          db.raw(`${LACKS_ANY}::int as lacks_any`),
          ...STRESSED_CATEGORIES.map((c) => db.raw(`count(*) filter (where not ??)::int as ??`, [`has_${c}`, `lacking_${c}`])),
        )
        .groupBy('s.id', 's.name'),
      registrations()
        .join('goals as g', 'g.registrationId', 'r.id')
        .whereIn('r.status', IN_CYCLE)
        .select(
          db.raw(`count(*) filter (where g.target_date >= date '${today}' and g.target_date <= ${limit})::int as due`),
          db.raw(`count(*) filter (where g.target_date < date '${today}')::int as past`),
        )
        .first(),
      registrations()
        .join('goals as g', 'g.registrationId', 'r.id')
        .whereIn('r.status', IN_CYCLE)
        .whereRaw(`g.target_date >= date '${today}' and g.target_date <= ${limit}`)
        .select(db.raw("to_char(g.target_date, 'YYYY-MM') as month"))
        .count({ count: '*' })
        .groupByRaw('1')
        .orderByRaw('1'),
      registrations()
        .join('goals as g', 'g.registrationId', 'r.id')
        .whereIn('r.status', IN_CYCLE)
        .whereRaw(`g.target_date >= date '${today}' and g.target_date <= ${limit}`)
        .select('g.id as goalId', 'g.title', db.raw("to_char(g.target_date, 'YYYY-MM-DD') as target_date"), 'r.id as registrationId', 'r.name as registrationName', 's.name as schoolName')
        .orderBy([{ column: 'g.targetDate' }, { column: 'g.id' }])
        .limit(20),
      registrations()
        .join('tasks as t', 't.registrationId', 'r.id')
        .where('t.status', 'open')
        .where((w) => w.where('t.overdue', true).orWhere('t.dueAt', '<', db.fn.now()))
        .select('t.step')
        .count({ count: '*' })
        .groupBy('t.step'),
      registrations()
        .join('tasks as t', 't.registrationId', 'r.id')
        .where('t.status', 'open')
        .where((w) => w.where('t.overdue', true).orWhere('t.dueAt', '<', db.fn.now()))
        .select('s.id as schoolId', 's.name as schoolName')
        .count({ count: '*' })
        .groupBy('s.id', 's.name')
        .orderBy([{ column: 'count', order: 'desc' }, { column: 's.name' }])
        .limit(20),
      registrations()
        .join('goalReviews as gr', 'gr.registrationId', 'r.id')
        .select('gr.cycle', db.raw("coalesce(gr.overall, 'pending') as outcome"))
        .count({ count: '*' })
        .groupByRaw('1, 2')
        .orderBy('gr.cycle'),
    ])) as [R[], R[], R, R[], R[], R[], R, R[], R[], R[], R[], R[]];

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
