/**
 * The 周期评估报告 as an HTML page in the 登记表's visual language (one bordered table, labels in
 * the left column, serif CJK): self-contained, so it prints as is from the browser.
 */
import {
  cycleDateLines,
  CYCLE_ZH,
  instantZh,
  overallText,
  promiseText,
  ratingText,
  reportText,
  REVIEW_LABELS as L,
  type ReviewReport,
} from './review-model';
import { esc, para } from './html';

const STYLE = `
  @page { size: A4; margin: 18mm 16mm; }
  * { box-sizing: border-box; }
  body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; color: #000; margin: 0; padding: 16px; font-size: 14px; line-height: 1.7; }
  .sheet { max-width: 180mm; margin: 0 auto; }
  h1 { text-align: center; font-size: 22px; margin: 0 0 4px; letter-spacing: 1px; }
  .meta { text-align: center; margin: 0 0 12px; font-size: 14px; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: -1px; }
  th, td { border: 1px solid #000; padding: 6px 8px; vertical-align: middle; word-break: break-all; }
  th { font-weight: normal; text-align: center; }
  td { text-align: left; }
  tr.goal th { font-weight: bold; text-align: left; background: #f4f4f4; }
  .pre { white-space: pre-wrap; }
  .digest { font-size: 11px; color: #555; margin-top: 10px; word-break: break-all; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  @media print { body { padding: 0; } tr.goal th { background: none; } }
`;

export function renderReviewHtml(report: ReviewReport): string {
  const { review, registration: r, previous, signed } = report;
  const previousItem = new Map((previous?.items ?? []).map((i) => [i.goalId, i]));
  const goals = review.items
    .map(
      (item, i) => `
    <tr class="goal"><th colspan="2">${L.goal} ${i + 1}：${esc(item.title)}</th></tr>
    <tr><th>${L.promise}</th><td class="pre">${para(promiseText(item))}</td></tr>
    <tr><th>${L.report}</th><td class="pre">${para(reportText(item))}</td></tr>
    <tr><th>${L.rating}</th><td>${esc(ratingText(item, previousItem.get(item.goalId)))}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(L.title)} — ${esc(r.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="sheet">
  <h1>${esc(L.title)}</h1>
  <p class="meta">${L.allianceName}：${esc(r.name)}</p>
  <table>
    <colgroup><col style="width:20%"><col style="width:34%"><col style="width:16%"><col style="width:30%"></colgroup>
    <tr><th>${L.leadSchool}</th><td>${esc(r.schoolName)}</td><th>${L.legalRepresentative}</th><td>${esc(r.legalRepresentative)}</td></tr>
    <tr><th>${L.cycle}</th><td colspan="3">${esc(CYCLE_ZH[review.cycle] ?? `第 ${review.cycle} 次评估`)}</td></tr>
    <tr><th>${L.cycleDates}</th><td colspan="3" class="pre">${para(cycleDateLines(report).join('\n'))}</td></tr>
  </table>
  <table>
    <colgroup><col style="width:20%"><col style="width:80%"></colgroup>
    ${goals}
    ${review.reportComment ? `<tr><th>${L.reportComment}</th><td class="pre">${para(review.reportComment)}</td></tr>` : ''}
    ${previous ? `<tr><th>${L.previous}</th><td class="pre">${para(`${overallText(previous)}${previous.comment ? `\n${previous.comment}` : ''}`)}</td></tr>` : ''}
    <tr><th>${L.overall}</th><td><strong>${esc(overallText(review))}</strong></td></tr>
    <tr><th>${L.comment}</th><td class="pre">${para(review.comment ?? '')}</td></tr>
    <tr><th>${L.reportedBy}</th><td>${esc(review.reportedByName ?? '—')}${review.reportedAt ? `（${esc(instantZh(review.reportedAt))}）` : ''}</td></tr>
    <tr><th>${L.ratedBy}</th><td>${esc(review.ratedByName ?? '—')}${review.ratedAt ? `（${esc(instantZh(review.ratedAt))}）` : ''}</td></tr>
  </table>
  <p class="digest">${L.digest}：${signed ? `${esc(signed.contentHash)}（${esc(signed.signerName ?? '')} ${esc(signed.signedOnZh)}）` : L.notSigned}</p>
</div>
</body>
</html>`;
}
