/**
 * The goal-reviews resource (read-only): list and one review within the caller's scope, the
 * printable 周期评估报告 (HTML and PDF), and the bureau's planning view with its CSV export.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { FontMissing } from '../../domain/print/fonts';
import { loadReviewReport } from '../../domain/print/review-model';
import { renderReviewHtml } from '../../domain/print/review-html';
import { renderReviewPdf } from '../../domain/print/review-pdf';
import { PLANNING_HORIZONS, reviewPlanning, type ReviewPlanning } from '../../domain/reviews/planning';
import { findGoalReview, listGoalReviews, REVIEW_RATINGS, REVIEW_STATUSES, type GoalReview, type GoalReviewFilter } from '../../domain/reviews/repository';
import { UUID_RE } from '../../domain/validation';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { oneOrMany, type ListQuery } from '../simple-rest';
import { registrationScopeOf } from './scope';

const WHAT = '周期评估 / Goal review';
const uuid = z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id');
const isoDateTime = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), '不是有效时间 / Not a valid date or time');

/** `filter=` of GET /api/goal-reviews. */
export const goalReviewFilterSchema = z
  .strictObject({
    id: oneOrMany(uuid).optional(),
    registrationId: oneOrMany(uuid).optional(),
    status: oneOrMany(z.enum(REVIEW_STATUSES)).optional(),
    cycle: oneOrMany(z.coerce.number().int().min(1).max(2)).optional(),
    schoolId: oneOrMany(z.coerce.number().int().positive()).optional(),
    overall: oneOrMany(z.enum(REVIEW_RATINGS)).optional(),
    dueBefore: isoDateTime.optional(),
    dueAfter: isoDateTime.optional(),
    q: z.string().trim().max(200).refine((s) => !s.includes('\u0000'), '不能包含空字符 / Must not contain NUL characters').optional(),
  })
  .meta({ id: 'GoalReviewFilter' });

const evidenceSchema = z.object({ id: z.string(), mediaType: z.string(), originalName: z.string().nullable(), size: z.number().int() });
export const goalReviewSchema = z
  .object({
    id: z.string(),
    registrationId: z.string(),
    registrationName: z.string(),
    registrationStatus: z.string(),
    schoolId: z.number().int(),
    schoolName: z.string(),
    cycle: z.number().int(),
    status: z.enum(REVIEW_STATUSES),
    openedAt: z.string().meta({ format: 'date-time' }),
    dueAt: z.string().nullable().meta({ format: 'date-time' }),
    reportedBy: z.number().int().nullable(),
    reportedByName: z.string().nullable(),
    reportedAt: z.string().nullable().meta({ format: 'date-time' }),
    reportComment: z.string().nullable(),
    ratedBy: z.number().int().nullable(),
    ratedByName: z.string().nullable(),
    ratedAt: z.string().nullable().meta({ format: 'date-time' }),
    overall: z.enum(REVIEW_RATINGS).nullable(),
    comment: z.string().nullable(),
    rectificationDueAt: z.string().nullable().meta({ format: 'date-time' }),
    task: z
      .object({ id: z.string(), step: z.enum(['goal_report', 'goal_rating']), status: z.string(), dueAt: z.string().nullable(), overdue: z.boolean(), claimedBy: z.number().int().nullable(), schoolId: z.number().int().nullable() })
      .nullable(),
    items: z.array(
      z.object({
        goalId: z.string(),
        position: z.number().int(),
        title: z.string(),
        measures: z.string().nullable(),
        indicator: z.string().nullable(),
        targetDate: z.string().nullable(),
        progress: z.string().nullable(),
        narrative: z.string().nullable(),
        evidenceFileIds: z.array(z.string()),
        evidence: z.array(evidenceSchema),
        rating: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'GoalReview' });

export async function listGoalReviewsFor(db: Db, actor: Actor, list: ListQuery<z.output<typeof goalReviewFilterSchema>>) {
  return listGoalReviews(db, registrationScopeOf(actor), list as ListQuery<GoalReviewFilter>);
}

export async function getGoalReview(db: Db, actor: Actor, id: string): Promise<GoalReview> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const review = await findGoalReview(db, id, registrationScopeOf(actor));
  if (!review) throw AppError.notFound(WHAT);
  return review;
}

async function reportOf(db: Db, actor: Actor, id: string) {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const report = await loadReviewReport(db, id, registrationScopeOf(actor));
  if (!report) throw AppError.notFound(WHAT);
  return report;
}

export async function goalReviewPrintHtml(db: Db, actor: Actor, id: string): Promise<string> {
  return renderReviewHtml(await reportOf(db, actor, id));
}

export async function goalReviewPdf(db: Db, actor: Actor, id: string): Promise<{ pdf: Buffer; name: string }> {
  const report = await reportOf(db, actor, id);
  try {
    return { pdf: await renderReviewPdf(report), name: `周期评估报告-${report.registration.name}-第${report.review.cycle}次.pdf` };
  } catch (err) {
    if (err instanceof FontMissing) throw new AppError(503, 'font_missing', `无法生成 PDF：缺少中文字体 / Cannot make the PDF: ${err.message}`);
    throw err;
  }
}

// --- planning ------------------------------------------------------------------------------------

const horizonMessage = `期限只能是 ${PLANNING_HORIZONS.join('、')} 天 / days must be one of ${PLANNING_HORIZONS.join(', ')}`;
export const planningQuerySchema = z.strictObject({
  days: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? 90 : Number(s)))
    .refine((n) => (PLANNING_HORIZONS as readonly number[]).includes(n), horizonMessage),
  section: z.enum(['upcoming', 'rectification', 'outcomes']).optional(),
});

function parsePlanningQuery(query: unknown) {
  const parsed = planningQuerySchema.safeParse(query);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'query')] ??= issue.path[0] === 'days' ? horizonMessage : issue.message;
    throw AppError.badRequest('查询参数有误 / Invalid query parameters', errors);
  }
  return parsed.data;
}

export async function planningFor(db: Db, actor: Actor, query: unknown): Promise<ReviewPlanning> {
  const { days } = parsePlanningQuery(query);
  return reviewPlanning(db, registrationScopeOf(actor), days);
}

const STATUS_ZH: Record<string, string> = { active: '已生效（首次评估）', rectification: '整改中（整改后复评）', reporting: '待学校自评', rating: '待教育局评级' };
const localDate = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso)) : '';

/**
 * One section of the planning view as a spreadsheet: `.xlsx` (the district's export format), or CSV
 * (UTF-8 with BOM so spreadsheet programs read the Chinese headers). The sections are bounded (≤ 2,000 rows).
 */
export async function planningExport(db: Db, actor: Actor, query: unknown, format: 'csv' | 'xlsx'): Promise<{ file: Buffer; name: string }> {
  const { days, section = 'upcoming' } = parsePlanningQuery(query);
  const plan = await reviewPlanning(db, registrationScopeOf(actor), days);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(section);
  let name: string;
  if (section === 'upcoming') {
    name = `${days}天内到期的周期评估`;
    sheet.addRow(['教联体名称', '牵头学校', '状态', '评估次数', '评估到期日', '剩余天数']);
    for (const u of plan.upcoming) sheet.addRow([u.registrationName, u.schoolName, STATUS_ZH[u.status] ?? u.status, u.cycle, localDate(u.reviewDueAt), u.daysLeft]);
    for (const p of plan.inProgress) sheet.addRow([p.registrationName, p.schoolName, STATUS_ZH[p.status] ?? p.status, p.cycle, localDate(p.dueAt), '']);
  } else if (section === 'rectification') {
    name = '整改中的教联体';
    sheet.addRow(['教联体名称', '牵头学校', '评估未通过日期', '教育局意见', '整改期限', '剩余天数']);
    for (const r of plan.rectification) sheet.addRow([r.registrationName, r.schoolName, localDate(r.failedAt), r.comment ?? '', localDate(r.rectificationDueAt), r.daysLeft ?? '']);
  } else {
    name = '各校周期评估结果';
    sheet.addRow(['牵头学校', '年度', '通过', '有条件通过', '不通过', '合计']);
    for (const o of plan.outcomes) sheet.addRow([o.schoolName, o.year, o.passed, o.conditional, o.failed, o.total]);
  }
  if (format === 'xlsx') {
    sheet.getRow(1).font = { bold: true };
    return { file: Buffer.from(await workbook.xlsx.writeBuffer()), name: `${name}.xlsx` };
  }
  return { file: Buffer.from(await workbook.csv.writeBuffer({ formatterOptions: { writeBOM: true } })), name: `${name}.csv` };
}
