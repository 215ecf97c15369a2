/**
 * What the printed 周期评估报告 (goal review report) shows, gathered once and rendered as HTML
 * and as PDF: the alliance, its lead school and cycle dates, each goal with what was promised at
 * registration, what the lead school reported and how the bureau rated it, the overall rating and
 * comment, and the digest of the registration content the principal signed.
 */
import type { Knex } from 'knex';
import { SERVICE_TIME_ZONE } from '../registrations/dates';
import { findRegistration, type RegistrationScope } from '../registrations/repository';
import type { Registration } from '../registrations/schema';
import { findGoalReview, reviewsOfRegistration, type GoalReview, type GoalReviewItem } from '../reviews/repository';
import { findSignatureRecord } from '../signing/index';
import { dateZh } from './model';

export interface ReviewReport {
  review: GoalReview;
  /** The first review, when this is the second one (after rectification). */
  previous: GoalReview | null;
  registration: Registration;
  signed: { contentHash: string; signedOnZh: string; signerName: string | null } | null;
}

export const REVIEW_LABELS = {
  title: '家校社协同育人“教联体”周期评估报告',
  allianceName: '教联体名称',
  leadSchool: '牵头学校',
  legalRepresentative: '法人代表',
  cycle: '评估轮次',
  cycleDates: '周期时间',
  approvedOn: '批准生效',
  openedOn: '评估开启',
  reportedOn: '自评提交',
  ratedOn: '评估评级',
  rectificationDue: '整改期限',
  goal: '建设目标',
  promise: '登记时承诺',
  report: '学校自评',
  rating: '教育局评级',
  evidence: '佐证材料',
  reportComment: '学校自评说明',
  previous: '首次评估结果',
  overall: '总体评级',
  comment: '教育局评估意见',
  reportedBy: '自评填报人',
  ratedBy: '评级人',
  digest: '登记内容摘要（SHA-256，校长签署）',
  notSigned: '无有效签署记录',
} as const;

export const CYCLE_ZH: Record<number, string> = { 1: '第 1 次评估（首次评估）', 2: '第 2 次评估（整改后复评）' };
export const PROGRESS_ZH: Record<string, string> = { achieved: '已达成', in_progress: '推进中', not_achieved: '未达成' };
export const RATING_ZH: Record<string, string> = { pass: '通过', conditional: '有条件通过', fail: '不通过' };
export const STATUS_ZH: Record<string, string> = { reporting: '待学校自评', rating: '待教育局评级', passed: '通过', conditional: '有条件通过', failed: '未通过' };

/** An instant as a date in the users' calendar: 2026年12月1日 */
export function instantZh(iso: string | null | undefined): string {
  if (!iso) return '';
  return dateZh(new Intl.DateTimeFormat('en-CA', { timeZone: SERVICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso)));
}

/** null when the review does not exist or is outside the scope. */
export async function loadReviewReport(db: Knex, reviewId: string, scope: RegistrationScope): Promise<ReviewReport | null> {
  const review = await findGoalReview(db, reviewId, scope);
  if (!review) return null;
  const [registration, all, record] = await Promise.all([
    findRegistration(db, review.registrationId, scope),
    reviewsOfRegistration(db, review.registrationId, scope),
    findSignatureRecord(db, review.registrationId),
  ]);
  if (!registration) return null;
  const signed =
    record && record.current && !record.voidedAt ? { contentHash: record.contentHash, signedOnZh: instantZh(record.signedAt), signerName: record.signerName } : null;
  return { review, previous: all.find((r) => r.cycle === review.cycle - 1) ?? null, registration, signed };
}

// --- the text of each cell, shared by the HTML and the PDF ---------------------------------

/** 2026年12月1日 批准生效 → 2028年12月1日 评估开启 … */
export function cycleDateLines(report: ReviewReport): string[] {
  const { review, registration, previous } = report;
  const lines = [`${REVIEW_LABELS.approvedOn}：${instantZh(registration.approvedAt)}`];
  if (previous) {
    lines.push(`首次评估评级：${instantZh(previous.ratedAt)}（${RATING_ZH[previous.overall ?? ''] ?? '—'}）`);
    if (previous.rectificationDueAt) lines.push(`${REVIEW_LABELS.rectificationDue}：${instantZh(previous.rectificationDueAt)}`);
  }
  lines.push(`${REVIEW_LABELS.openedOn}：${instantZh(review.openedAt)}`);
  lines.push(`${REVIEW_LABELS.reportedOn}：${review.reportedAt ? instantZh(review.reportedAt) : '尚未提交'}`);
  lines.push(`${REVIEW_LABELS.ratedOn}：${review.ratedAt ? instantZh(review.ratedAt) : '尚未评级'}`);
  if (review.rectificationDueAt) lines.push(`${REVIEW_LABELS.rectificationDue}：${instantZh(review.rectificationDueAt)}`);
  return lines;
}

export function promiseText(item: GoalReviewItem): string {
  const parts: string[] = [];
  if (item.measures) parts.push(`主要任务措施：${item.measures}`);
  if (item.indicator) parts.push(`达成标志：${item.indicator}`);
  if (item.targetDate) parts.push(`完成时间：${dateZh(item.targetDate)}`);
  return parts.join('\n') || '—';
}

export function reportText(item: GoalReviewItem): string {
  if (!item.progress) return '尚未自评';
  const lines = [`完成情况：${PROGRESS_ZH[item.progress] ?? item.progress}`];
  if (item.narrative) lines.push(`情况说明：${item.narrative}`);
  lines.push(`${REVIEW_LABELS.evidence}：${item.evidenceFileIds.length} 件`);
  return lines.join('\n');
}

export function ratingText(item: GoalReviewItem, previous: GoalReviewItem | undefined): string {
  const now = item.rating ? RATING_ZH[item.rating] ?? item.rating : '尚未评级';
  return previous?.rating ? `${now}（首次评估：${RATING_ZH[previous.rating] ?? previous.rating}）` : now;
}

export function overallText(review: GoalReview): string {
  return review.overall ? RATING_ZH[review.overall] ?? review.overall : `尚未评级（${STATUS_ZH[review.status] ?? review.status}）`;
}
