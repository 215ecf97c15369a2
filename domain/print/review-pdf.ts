/**
 * The 周期评估报告 as a PDF made with pdfkit, in the 登记表's visual language: A4, the same
 * margins, title and type sizes, a bordered label | value table, Noto CJK embedded (subset). A goal
 * opens with a shaded heading row; a value too long for the page continues on the next one.
 */
import PDFDocument from 'pdfkit';
import { findCjkFonts, parsedFont } from './fonts';
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

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 50, right: 50, top: 50 };
const CONTENT_BOTTOM = PAGE.height - 58;
const TABLE_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LABEL_WIDTH = 108;
const VALUE_WIDTH = TABLE_WIDTH - LABEL_WIDTH;
const PAD = 6;
const SIZE = { title: 18, meta: 11, text: 10.5, footer: 8 };
const LINE_GAP = 3;

type Doc = PDFKit.PDFDocument;

export async function renderReviewPdf(report: ReviewReport): Promise<Buffer> {
  const fonts = findCjkFonts();
  const { review, registration: r, previous, signed } = report;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN.top, bottom: 10, left: MARGIN.left, right: MARGIN.right },
    bufferPages: true,
    info: { Title: `${L.title} — ${r.name}`, Subject: L.title, Creator: '教联体登记与审批系统' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // The faces as parsed once per process: glyphs outlined for an earlier PDF are not parsed again.
  doc.registerFont('cjk', parsedFont(fonts.regular) as never);
  doc.registerFont('cjk-bold', parsedFont(fonts.bold) as never);

  doc.font('cjk-bold').fontSize(SIZE.title).text(L.title, MARGIN.left, MARGIN.top, { width: TABLE_WIDTH, align: 'center' });
  doc.font('cjk').fontSize(SIZE.meta).text(`${L.allianceName}：${r.name}`, MARGIN.left, doc.y + 4, { width: TABLE_WIDTH, align: 'center' });
  const t = new Table(doc, doc.y + 10);

  t.fourCellRow([L.leadSchool, r.schoolName], [L.legalRepresentative, r.legalRepresentative]);
  t.row(L.cycle, CYCLE_ZH[review.cycle] ?? `第 ${review.cycle} 次评估`);
  t.row(L.cycleDates, cycleDateLines(report).join('\n'));
  const previousItem = new Map((previous?.items ?? []).map((i) => [i.goalId, i]));
  review.items.forEach((item, i) => {
    t.heading(`${L.goal} ${i + 1}：${item.title}`);
    t.row(L.promise, promiseText(item));
    t.row(L.report, reportText(item));
    t.row(L.rating, ratingText(item, previousItem.get(item.goalId)));
  });
  if (review.reportComment) t.row(L.reportComment, review.reportComment);
  if (previous) t.row(L.previous, `${overallText(previous)}${previous.comment ? `\n${previous.comment}` : ''}`);
  t.row(L.overall, overallText(review), 'cjk-bold');
  t.row(L.comment, review.comment ?? '', 'cjk', 48);
  t.row(L.reportedBy, `${review.reportedByName ?? '—'}${review.reportedAt ? `（${instantZh(review.reportedAt)}）` : ''}`);
  t.row(L.ratedBy, `${review.ratedByName ?? '—'}${review.ratedAt ? `（${instantZh(review.ratedAt)}）` : ''}`);

  const digest = `${L.digest}：${signed ? `${signed.contentHash}（${signed.signerName ?? ''} ${signed.signedOnZh}）` : L.notSigned}`;
  doc.font('cjk').fontSize(SIZE.footer);
  if (t.y + 30 > CONTENT_BOTTOM) t.newPage();
  doc.fillColor('#555555').text(digest, MARGIN.left, t.y + 6, { width: TABLE_WIDTH });
  doc.fillColor('#000000');

  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    doc
      .font('cjk')
      .fontSize(SIZE.footer)
      .fillColor('#555555')
      .text(`第 ${i + 1} 页 / 共 ${pages.count} 页`, MARGIN.left, PAGE.height - 40, { width: TABLE_WIDTH, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

/** label | value rows that flow over pages. */
class Table {
  constructor(
    private readonly doc: Doc,
    public y: number,
  ) {}

  newPage() {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private height(text: string, width: number, font = 'cjk'): number {
    if (!text) return 0;
    return this.doc.font(font).fontSize(SIZE.text).heightOfString(text, { width, lineGap: LINE_GAP });
  }

  private box(x: number, y: number, w: number, h: number, fill?: string) {
    if (fill) this.doc.rect(x, y, w, h).fill(fill).fillColor('#000000');
    this.doc.lineWidth(0.8).rect(x, y, w, h).stroke('#000000');
  }

  private text(text: string, x: number, y: number, width: number, height: number, opts: { font?: string; align?: 'left' | 'center'; middle?: boolean } = {}) {
    const inner = width - 2 * PAD;
    const h = this.height(text, inner, opts.font);
    const ty = opts.middle ? y + Math.max(PAD, (height - h) / 2) : y + PAD;
    this.doc.font(opts.font ?? 'cjk').fontSize(SIZE.text).fillColor('#000000').text(text, x + PAD, ty, { width: inner, align: opts.align ?? 'left', lineGap: LINE_GAP });
  }

  fourCellRow([label1, value1]: [string, string], [label2, value2]: [string, string]) {
    const widths = [LABEL_WIDTH, 176, 76, VALUE_WIDTH - 176 - 76];
    const height = Math.max(30, this.height(value1, widths[1] - 2 * PAD) + 2 * PAD, this.height(value2, widths[3] - 2 * PAD) + 2 * PAD);
    let x = MARGIN.left;
    [label1, value1, label2, value2].forEach((text, i) => {
      this.box(x, this.y, widths[i], height);
      this.text(text, x, this.y, widths[i], height, { align: i % 2 === 0 ? 'center' : 'left', middle: true });
      x += widths[i];
    });
    this.y += height;
  }

  /** A goal's heading across the table; it never stays alone at the bottom of a page. */
  heading(text: string) {
    const height = this.height(text, TABLE_WIDTH - 2 * PAD, 'cjk-bold') + 2 * PAD;
    if (this.y + height + 60 > CONTENT_BOTTOM) this.newPage();
    this.box(MARGIN.left, this.y, TABLE_WIDTH, height, '#eeeeee');
    this.text(text, MARGIN.left, this.y, TABLE_WIDTH, height, { font: 'cjk-bold' });
    this.y += height;
  }

  row(label: string, value: string, font = 'cjk', minHeight = 26) {
    const inner = VALUE_WIDTH - 2 * PAD;
    let remaining = value.replace(/\r\n?/g, '\n');
    let currentLabel = label;
    for (;;) {
      const need = Math.max(minHeight, this.height(remaining, inner, font) + 2 * PAD, this.height(currentLabel, LABEL_WIDTH - 2 * PAD) + 2 * PAD);
      const available = CONTENT_BOTTOM - this.y;
      if (need <= available) {
        this.draw(currentLabel, remaining, need, font);
        return;
      }
      // Short rows move whole to the next page; long ones fill this page and continue under 「（续）」.
      if (need <= 200 || available < 80) {
        this.newPage();
        continue;
      }
      const [head, tail] = this.split(remaining, inner, available - 2 * PAD, font);
      this.draw(currentLabel, head, available, font);
      this.newPage();
      remaining = tail;
      currentLabel = `${label}（续）`;
    }
  }

  private draw(label: string, value: string, height: number, font: string) {
    this.box(MARGIN.left, this.y, LABEL_WIDTH, height);
    this.box(MARGIN.left + LABEL_WIDTH, this.y, VALUE_WIDTH, height);
    this.text(label, MARGIN.left, this.y, LABEL_WIDTH, height, { align: 'center', middle: true });
    this.text(value, MARGIN.left + LABEL_WIDTH, this.y, VALUE_WIDTH, height, { font, middle: height < 60 });
    this.y += height;
  }

  /** The longest head of the text that fits the height (binary search over characters). */
  private split(text: string, width: number, maxHeight: number, font: string): [string, string] {
    const chars = Array.from(text);
    let lo = 1;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.height(chars.slice(0, mid).join(''), width, font) <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    return [chars.slice(0, lo).join('').trimEnd(), chars.slice(lo).join('').replace(/^\n+/, '')];
  }
}
