/**
 * The 登记表 as an HTML page laid out like annex 2: one bordered table, the same rows and labels,
 * the principal's handwritten signature and the stamp over the signature cell, member profiles on
 * a page of their own. Self-contained (images as data: URLs, inline styles) so it prints as is.
 */
import { dateZh, goalLines, LABELS, memberSchoolsText, memberUnitLines, profileEntries, type PrintForm, type PrintImage } from './model';

/** HTML-escaped text (shared by the form and the review report). */
export const esc = (s: string | null | undefined) =>
  (s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Escaped, with the line breaks the writer typed. */
export const para = (s: string | null | undefined) => esc(s).replace(/\r?\n/g, '<br>');
const dataUrl = (img: PrintImage) => `data:${img.mediaType};base64,${img.bytes.toString('base64')}`;

const STYLE = `
  @page { size: A4; margin: 18mm 16mm; }
  * { box-sizing: border-box; }
  body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; color: #000; margin: 0; padding: 16px; font-size: 14px; line-height: 1.7; }
  .sheet { max-width: 180mm; margin: 0 auto; }
  h1 { text-align: center; font-size: 22px; margin: 0 0 4px; letter-spacing: 1px; }
  .meta { text-align: center; margin: 0 0 12px; font-size: 14px; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  th, td { border: 1px solid #000; padding: 6px 8px; vertical-align: middle; word-break: break-all; }
  th { font-weight: normal; text-align: center; width: 26%; }
  th .hint { display: block; font-size: 12px; }
  td { text-align: left; }
  td.tall { height: 160px; vertical-align: top; }
  ol { margin: 0; padding-left: 1.4em; }
  .opinion { min-height: 90px; }
  .sign { position: relative; height: 120px; margin-top: 8px; }
  .sign .label { position: absolute; left: 38%; top: 18px; }
  .sign .stamp-label { position: absolute; left: 38%; top: 46px; }
  .sign .date { position: absolute; right: 8px; bottom: 4px; }
  .sign img.signature { position: absolute; left: calc(38% + 5.5em); top: 4px; max-height: 64px; max-width: 36%; }
  .sign img.stamp { position: absolute; right: 20px; top: -8px; width: 116px; height: 116px; opacity: 0.9; }
  .page-break { break-before: page; page-break-before: always; }
  .goal { white-space: pre-wrap; }
  .profile h3 { font-size: 14px; margin: 8px 0 2px; }
  .profile p { margin: 0 0 6px; text-indent: 2em; }
  .note { font-size: 12px; margin-top: 4px; }
  .digest { font-size: 11px; color: #555; margin-top: 10px; word-break: break-all; }
  @media print { body { padding: 0; } }
`;

export function renderFormHtml(form: PrintForm): string {
  const r = form.registration;
  const sig = form.signature;
  const units = memberUnitLines(form);
  const goals = goalLines(form);
  const profiles = profileEntries(form);
  const signBlock = `
        <div class="sign">
          <span class="label">${LABELS.principalSignature}</span>
          <span class="stamp-label">${LABELS.stamp}</span>
          ${sig ? `<img class="signature" alt="校长签名 / Principal's signature" src="${dataUrl(sig.signatureImage)}">` : ''}
          ${sig ? `<img class="stamp" alt="公章 / Official stamp" src="${dataUrl(sig.stamp)}">` : ''}
          <span class="date">${sig ? esc(sig.signedOnZh) : '&emsp;&emsp;年&emsp;月&emsp;日'}</span>
        </div>`;
  const extraRows = form.extraFields
    .map((f) => `<tr><th>${esc(f.labelZh)}</th><td colspan="3">${para(f.value)}</td></tr>`)
    .join('\n');

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(LABELS.title)} — ${esc(r.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="sheet">
  <h1>${esc(LABELS.title)}</h1>
  <p class="meta">${LABELS.allianceName}：${esc(r.name)}</p>
  <table>
    <colgroup><col style="width:20%"><col style="width:34%"><col style="width:16%"><col style="width:30%"></colgroup>
    <tr><th>${LABELS.leadSchool}</th><td>${esc(r.schoolName)}</td><th>${LABELS.legalRepresentative}</th><td>${esc(r.legalRepresentative)}</td></tr>
    <tr><th>${LABELS.formedOn}</th><td colspan="3">${esc(dateZh(r.formedOn))}</td></tr>
    <tr><th>${LABELS.memberSchools}<span class="hint">${LABELS.memberSchoolsHint}</span></th><td colspan="3">${esc(memberSchoolsText(form))}</td></tr>
    <tr><th>${LABELS.memberUnits}</th><td colspan="3">${units.length ? `<ol>${units.map((u) => `<li>${esc(u.replace(/^\d+\. /, ''))}</li>`).join('')}</ol>` : ''}</td></tr>
    <tr><th>${LABELS.introduction}<span class="hint">${LABELS.introductionHint}</span></th><td colspan="3" class="tall">${para(r.introduction)}</td></tr>
    <tr><th>${LABELS.goals}<span class="hint">${LABELS.goalsHint}</span></th><td colspan="3" class="tall">${goals.map((g) => `<div class="goal">${para(g)}</div>`).join('')}</td></tr>
    ${extraRows}
    <tr><th>${LABELS.leadSchoolOpinion}</th><td colspan="3"><div class="opinion">${para(r.leadSchoolOpinion)}</div>${signBlock}</td></tr>
  </table>
  ${sig ? `<p class="digest">签名内容摘要（SHA-256）/ Signed content digest: ${esc(sig.contentHash)}</p>` : ''}

  <table class="page-break">
    <colgroup><col style="width:20%"><col style="width:80%"></colgroup>
    <tr><th>${LABELS.profiles}<span class="hint">${LABELS.profilesHint}</span></th><td class="tall">
      ${profiles.map((p) => `<div class="profile"><h3>${esc(p.heading)}</h3><p>${para(p.profile)}</p></div>`).join('')}
    </td></tr>
    <tr><th>${LABELS.remarks}</th><td>${para(r.remarks)}<div class="note">${LABELS.remarks}：${LABELS.remarksNote}</div></td></tr>
  </table>
</div>
</body>
</html>`;
}
